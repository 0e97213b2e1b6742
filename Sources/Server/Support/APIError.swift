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
    /// Headers sent with the error, such as `Retry-After`.
    public var headers: HTTPFields

    public init(status: HTTPResponse.Status, code: String, message: String, details: JSONValue? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers
    }

    /// The API form of a ``ToolhostError``: its code's status, or the status a publishing step chose;
    /// an open circuit says when to come back in `Retry-After` (seconds).
    public init(_ error: ToolhostError) {
        let status = error.details?["httpStatus"]?.intValue ?? error.code.httpStatus
        var headers = HTTPFields()
        if error.code == .circuitOpen, let seconds = error.details?["retryAfterSeconds"]?.intValue {
            headers[.retryAfter] = String(seconds)
        }
        self.init(status: HTTPResponse.Status(code: status), code: error.code.rawValue, message: error.message, details: error.details,
                  headers: headers)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var body: [String: JSONValue] = ["code": .string(code), "message": .string(message)]
        if let details { body["details"] = details }
        var response = JSONResponse.make(.object(["error": .object(body)]), status: status)
        response.headers.append(contentsOf: headers)
        return response
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
