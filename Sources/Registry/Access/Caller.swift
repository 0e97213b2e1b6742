import ToolhostCore

/// What an API key may do.
public enum Scope: String, Sendable, Hashable, Codable, CaseIterable {
    /// List, search and show tools and packages.
    case read
    /// Publish packages and manage one's own namespaces (yank, deprecate, signing keys).
    case publish
    /// Call tools.
    case invoke
    /// Decide approval gates.
    case approve
    /// Administer the tenant: create keys.
    case admin
}

/// Who is calling: the tenant every query is scoped to, and what the key allows.
public struct Caller: Sendable, Hashable {
    public var keyID: String
    public var tenant: String
    public var maxPrivilege: PrivilegeLevel
    public var scopes: Set<Scope>

    public init(keyID: String, tenant: String, maxPrivilege: PrivilegeLevel, scopes: Set<Scope>) {
        self.keyID = keyID
        self.tenant = tenant
        self.maxPrivilege = maxPrivilege
        self.scopes = scopes
    }

    /// The local administrator (the CLI working on its own data directory).
    public static let localAdmin = Caller(keyID: "local-cli", tenant: "local", maxPrivilege: .superAdmin, scopes: Set(Scope.allCases))

    /// - Throws: ``ToolhostError`` `forbidden` naming the missing scope.
    public func require(_ scope: Scope) throws(ToolhostError) {
        guard scopes.contains(scope) else {
            throw ToolhostError(.forbidden, "this API key lacks the \"\(scope.rawValue)\" scope")
        }
    }

    /// Checks that a key this caller creates gets nothing the caller lacks: a level at most its own,
    /// and scopes among its own (a SUPER_ADMIN key, which administers every tenant, may give any scope).
    /// - Throws: ``ToolhostError`` `forbidden` naming the level, or the scopes that are not the caller's.
    public func requireMayGrant(level: PrivilegeLevel, scopes requested: Set<Scope>) throws(ToolhostError) {
        guard level <= maxPrivilege else {
            throw ToolhostError(.forbidden, "maxPrivilege \(level) is above this key's own \(maxPrivilege)")
        }
        let foreign = requested.subtracting(scopes)
        guard maxPrivilege == .superAdmin || foreign.isEmpty else {
            throw ToolhostError(
                .forbidden,
                "scopes \(Self.list(foreign)) are not this key's own (\(Self.list(scopes))): a new key's scopes must be a subset of its creator's",
                details: ["scopes": .array(foreign.map(\.rawValue).sorted().map(JSONValue.string))])
        }
    }

    private static func list(_ scopes: Set<Scope>) -> String { scopes.map(\.rawValue).sorted().joined(separator: ", ") }
}
