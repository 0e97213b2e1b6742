import Logging
import Foundation
import HTTPTypes
import Hummingbird
import ToolhostCore

/// An error as the API reports it: `{"error": {"code", "message", "details"}}` with its HTTP status.
public struct APIError: Error, HTTPResponseError {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var details: JSONValue?

    public init(status: HTTPResponse.Status, code: String, message: String, details: JSONValue? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
    }

    /// The API form of a ``ToolhostError``: its code's status, or the status a publishing step chose.
    public init(_ error: ToolhostError) {
        let status = error.details?["httpStatus"]?.intValue ?? error.code.httpStatus
        self.init(status: HTTPResponse.Status(code: status), code: error.code.rawValue, message: error.message, details: error.details)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var body: [String: JSONValue] = ["code": .string(code), "message": .string(message)]
        if let details { body["details"] = details }
        return JSONResponse.make(.object(["error": .object(body)]), status: status)
    }
}

/// Turns every error a handler throws into the API's JSON error form; nothing reaches the client as
/// a bare 500 without a body, and nothing crashes the server.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as ToolhostError {
            return try APIError(error).response(from: request, context: context)
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        } catch let error as HTTPError {
            let code = error.status == .contentTooLarge ? "payload_too_large" : error.status == .notFound ? "not_found" : "http_error"
            return try APIError(status: error.status, code: code, message: error.body ?? error.status.reasonPhrase)
                .response(from: request, context: context)
        } catch {
            context.logger.error("unexpected error: \(error)")
            return try APIError(status: .internalServerError, code: "internal_error", message: "internal error")
                .response(from: request, context: context)
        }
    }
}
