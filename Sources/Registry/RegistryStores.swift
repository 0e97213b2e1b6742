import Foundation
import Storage
import ToolhostCore

/// The registry's stores, one per concern, as the host, the server and the CLI receive them.
///
/// ```swift
/// let database = try SQLiteDatabase(path: "/var/lib/toolhost/toolhost.sqlite")
/// let registry = try RegistryStores.sqlite(database, blobs: BlobStore(root: blobsURL))
/// let tool = try await registry.catalog.tool(named: "hash_digest")
/// ```
public struct RegistryStores: Sendable {
    public var catalog: any CatalogStore
    public var publishing: any PublishingStore
    public var keys: any KeyStore
    public var audit: any AuditLog

    public init(catalog: any CatalogStore, publishing: any PublishingStore, keys: any KeyStore, audit: any AuditLog) {
        self.catalog = catalog
        self.publishing = publishing
        self.keys = keys
        self.audit = audit
    }

    /// The embedded stores, in `database` (whose registry tables are brought up to date) with the
    /// package archives in `blobs`.
    /// - Throws: ``ToolhostError`` `storage_error` when the migration fails.
    public static func sqlite(_ database: SQLiteDatabase, blobs: BlobStore) throws(ToolhostError) -> RegistryStores {
        try database.migrate(SQLiteCatalog.migrator, for: "registry")
        return RegistryStores(
            catalog: SQLiteCatalog(database: database),
            publishing: SQLitePublishingStore(database: database, blobs: blobs),
            keys: SQLiteKeyStore(database: database),
            audit: SQLiteAuditLog(database: database))
    }
}
