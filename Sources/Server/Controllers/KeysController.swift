import Foundation
import Hummingbird
import Registry
import ToolhostCore

/// `POST /api/v1/keys`: API keys, created by a tenant's administrator.
struct KeysController {
    let keys: any KeyStore

    func register(on group: RouterGroup<ToolhostRequestContext>) {
        group.post("keys", use: create)
    }

    struct CreateBody: Decodable {
        var tenant: String?
        var name: String?
        var maxPrivilege: Int
        var scopes: [String]
    }

    /// A key for the caller's tenant; another tenant only for a SUPER_ADMIN key (a cross-tenant
    /// action), and never with more privilege or other scopes than the creating key has.
    @Sendable func create(_ request: Request, context: ToolhostRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try caller.require(.admin)
        let body = try await request.decodeJSON(CreateBody.self)
        let tenant = body.tenant ?? caller.tenant
        if tenant != caller.tenant, caller.maxPrivilege < .superAdmin {
            throw ToolhostError(.forbidden, "creating keys for another tenant needs a SUPER_ADMIN key")
        }
        guard let level = PrivilegeLevel(rawValue: body.maxPrivilege) else {
            throw ToolhostError(.invalidInput, "maxPrivilege: expected 1-5, got \(body.maxPrivilege)")
        }
        var scopes: Set<Scope> = []
        for name in body.scopes {
            guard let scope = Scope(rawValue: name) else {
                throw ToolhostError(.invalidInput, "scopes: unknown scope \"\(name)\", expected \(Scope.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            scopes.insert(scope)
        }
        try caller.requireMayGrant(level: level, scopes: scopes)
        let created = try await keys.createAPIKey(tenant: tenant, name: body.name ?? "created by \(caller.keyID)", maxPrivilege: level, scopes: scopes)
        return JSONResponse.make(JSONValue.object([
            "id": .string(created.caller.keyID), "tenant": .string(tenant), "maxPrivilege": .int(level.rawValue),
            "scopes": .array(scopes.map(\.rawValue).sorted().map(JSONValue.string)), "secret": .string(created.secret),
        ]), status: .created)
    }
}
