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
}
