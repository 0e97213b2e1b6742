import Logging
import Foundation
import Hummingbird
import Registry

/// Reads `Authorization: Bearer <key>`, looks the key up by its hash and scopes the request to its
/// tenant. A missing or unknown key is 401 on every `/api/v1` route.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = ToolhostRequestContext
    let catalog: SQLiteCatalog

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw APIError(status: .unauthorized, code: "unauthorized", message: "missing API key: send Authorization: Bearer <key>")
        }
        let secret = String(header.dropFirst("Bearer ".count)).trimmingCharacters(in: .whitespaces)
        guard let caller = try catalog.authenticate(secret: secret) else {
            throw APIError(status: .unauthorized, code: "unauthorized", message: "invalid or revoked API key")
        }
        var context = context
        context.caller = caller
        context.logger[metadataKey: "tenant"] = .string(caller.tenant)
        return try await next(request, context)
    }
}
