import Foundation
import Storage
import ToolhostCore

/// The embedded catalog, in the data directory's SQLite database (``Storage/SQLiteDatabase``).
///
/// Every write runs in one transaction, so a crash at any point leaves either the old or the new
/// catalog, never half of a package version. The tables of the whole registry (catalog, keys,
/// audit log, signing keys) are created by ``RegistryStores/sqlite(_:blobs:)``.
public struct SQLiteCatalog: CatalogStore {
    let database: SQLiteDatabase

    /// A catalog over `database`, whose registry tables are up to date.
    init(database: SQLiteDatabase) {
        self.database = database
    }

    public func revision() async -> Int { database.changeCount(SQLiteCatalog.ChangeCounter.catalog) }
}
