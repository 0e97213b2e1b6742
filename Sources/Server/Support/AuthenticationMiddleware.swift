import Logging
import Foundation
import Hummingbird
import Registry
import ToolhostCore

/// Reads `Authorization: Bearer <key>`, looks the key up by its hash and scopes the request to its
/// tenant. A missing or unknown key is 401 on every `/api/v1` route.
///
/// Lookups are cached for ``ServerConfiguration/cacheLifetime`` (hashing the secret and reading
/// SQLite on every request would cost more than the rest of a cached read); only keys that exist are
/// cached, so an unknown key always reaches the database.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = ToolhostRequestContext
    let keys: any KeyStore
    let callers: ReadCache<Caller>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw ToolhostError(.unauthorized, "missing API key: send Authorization: Bearer <key>")
        }
        // Trimmed by hand: Foundation's CharacterSet trimming costs more than the cached lookup that follows.
        var token = header.dropFirst("Bearer ".count)
        while let first = token.first, first == " " || first == "\t" { token.removeFirst() }
        while let last = token.last, last == " " || last == "\t" { token.removeLast() }
        let secret = String(token)
        guard let caller = try await callers.value(for: secret, revision: await keys.revision(), read: { try await keys.authenticate(secret: secret) }) else {
            throw ToolhostError(.unauthorized, "invalid or revoked API key")
        }
        var context = context
        context.caller = caller
        // No `tenant` logger metadata here: copying the logger's metadata on every request cost as much
        // as the cached read itself; the lines that need the tenant name it.
        return try await next(request, context)
    }
}
