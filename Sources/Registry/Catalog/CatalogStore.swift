import ToolhostCore

/// The catalog of packages, their immutable versions and their tools: what is published, and
/// what each tenant may see of it.
///
/// The embedded default is ``SQLiteCatalog``; a PostgreSQL store for several hosts sharing one
/// catalog is a second conformer. Nothing here assumes one process: ``revision()`` comes from the
/// store, so a cache built on it sees another process's publish or yank.
public protocol CatalogStore: Sendable {
    /// A value that changes whenever anything in the catalog may have changed, in this process or
    /// another one on the same store. Caches keep what they read only while it stays the same.
    func revision() async -> Int

    /// Adds a new version of a package with its tools, without the publishing checks (a host's
    /// bundled packages, fixtures).
    /// - Throws: ``ToolhostError`` `conflict` when that version exists (versions are immutable).
    func insertVersion(_ manifest: LoadedManifest) async throws(ToolhostError)

    /// Makes the built-in packages match `manifests` exactly: new ones are added, changed ones
    /// replaced (built-ins ship with the binary, so they are not published versions), and built-ins
    /// that are no longer shipped removed. All or nothing.
    /// - Throws: ``ToolhostError`` `storage_error` when the store fails; nothing is changed then.
    @discardableResult
    func syncBuiltins(_ manifests: [LoadedManifest]) async throws(ToolhostError) -> BuiltinSyncReport

    /// Tools of the latest version of every package that match `query`, best first.
    /// - Throws: ``ToolhostError`` `invalid_input` for a bad query, `storage_error` when the store fails.
    func searchTools(_ query: ToolSearchQuery) async throws(ToolhostError) -> [ToolSummary]

    /// One tool as `tenant` may see it (nil sees every tool), at the latest version of its package
    /// or at `version`. Another tenant's private tool is "not found", never "forbidden", so that its
    /// existence does not leak.
    /// - Throws: ``ToolhostError`` `not_found` naming what was looked for.
    func tool(named qualifiedName: String, version: SemanticVersion?, visibleTo tenant: String?) async throws(ToolhostError) -> ToolDetail

    /// The package `name` with its versions, as `tenant` may see it (nil sees all).
    /// - Throws: ``ToolhostError`` `not_found`, also for another tenant's private package.
    func package(named name: String, visibleTo tenant: String?) async throws(ToolhostError) -> PackageSummary

    /// One version of a package as `tenant` may see it.
    /// - Throws: ``ToolhostError`` `not_found` naming `name@version`.
    func packageVersion(named name: String, version: SemanticVersion, visibleTo tenant: String?) async throws(ToolhostError) -> PackageVersionDetail
}

extension CatalogStore {
    /// One tool by qualified name, whoever owns it.
    public func tool(named qualifiedName: String, version: SemanticVersion? = nil) async throws(ToolhostError) -> ToolDetail {
        try await tool(named: qualifiedName, version: version, visibleTo: nil)
    }
}

/// What ``CatalogStore/syncBuiltins(_:)`` changed.
public struct BuiltinSyncReport: Sendable, Hashable {
    public var added: [String] = []
    public var replaced: [String] = []
    public var removed: [String] = []
    public var unchanged = 0

    public init() {}

    /// Whether the catalog changed at all.
    public var changedAnything: Bool { !(added.isEmpty && replaced.isEmpty && removed.isEmpty) }
}
