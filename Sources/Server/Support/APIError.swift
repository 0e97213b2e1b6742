import Logging
import Foundation
import HTTPTypes
import Hummingbird
import ToolhostCore

/// A ``ToolhostError`` as the API reports it: `{"error": {"code", "message", "details"}}` with the
/// status of its code, and `Retry-After` when it says when to come back. Handlers throw
/// ``ToolhostError``s; this is only their HTTP form.
struct APIError: Error, HTTPResponseError {
    var error: ToolhostError
    var status: HTTPResponse.Status

    init(_ error: ToolhostError, status: HTTPResponse.Status? = nil) {
        self.error = error
        self.status = status ?? HTTPResponse.Status(code: error.code.httpStatus)
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var body: [String: JSONValue] = ["code": .string(error.code.rawValue), "message": .string(error.message)]
        if let details = error.details { body["details"] = details }
        var response = JSONResponse.make(.object(["error": .object(body)]), status: status)
        if let seconds = error.retryAfterSeconds { response.headers[.retryAfter] = String(seconds) }
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
        } catch let error as HTTPError {
            let code: ToolhostError.Code = error.status == .contentTooLarge ? .payloadTooLarge : error.status == .notFound ? .notFound : .httpError
            return try APIError(ToolhostError(code, error.body ?? error.status.reasonPhrase), status: error.status)
                .response(from: request, context: context)
        } catch {
            context.logger.error("unexpected error: \(error)")
            return try APIError(ToolhostError(.internalError, "internal error")).response(from: request, context: context)
        }
    }
}
