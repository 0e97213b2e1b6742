import ToolhostCore

/// The catalog of packages, their immutable versions and their tools.
///
/// The embedded default is ``SQLiteCatalog``; a PostgreSQL-backed store for several hosts sharing
/// one catalog is meant to be a second conformer, not a rewrite.
public protocol CatalogStore: Sendable {
    /// Adds a new version of a package with its tools.
    /// - Throws: ``ToolhostError`` `conflict` when that version exists (versions are immutable).
    func insertVersion(_ manifest: LoadedManifest) throws(ToolhostError)

    /// Makes the built-in packages match `manifests` exactly: new ones are added, changed ones
    /// replaced (built-ins ship with the binary, so they are not published versions), and built-ins
    /// that are no longer shipped removed. All or nothing.
    /// - Throws: ``ToolhostError`` `storage_error` when the database fails; nothing is changed then.
    @discardableResult
    func syncBuiltins(_ manifests: [LoadedManifest]) throws(ToolhostError) -> BuiltinSyncReport

    /// Tools of the latest version of every package that match `query`, best first.
    /// - Throws: ``ToolhostError`` `invalid_input` for a bad query, `storage_error` when the database fails.
    func searchTools(_ query: ToolSearchQuery) throws(ToolhostError) -> [ToolSummary]

    /// One tool by qualified name, at the latest version of its package or at `version`.
    /// - Throws: ``ToolhostError`` `not_found` naming what was looked for.
    func tool(named qualifiedName: String, version: SemanticVersion?) throws(ToolhostError) -> ToolDetail
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
