import Foundation
import GRDB
import ToolhostCore

/// The embedded catalog: one SQLite database in WAL mode, schema changes through migrations.
///
/// Every write runs in one transaction, so a crash at any point leaves either the old or the new
/// catalog, never half of a package version.
public struct SQLiteCatalog: CatalogStore {
    /// The database, shared with the other stores of the data directory (traces, approvals,
    /// agents), which keep their tables in the same file under their own migrations: one file, one
    /// writer, one transaction log.
    public let database: DatabasePool
    /// Shared by the copies of this value, like `database`.
    private let changes: DatabaseRevision

    /// Changes with every write committed to the database: at once for this process's own, within
    /// milliseconds for another process's on the same file (a CLI command next to a server). Caches
    /// of what was read compare it to tell that what they hold may be stale.
    public var revision: Int { changes.value }

    /// Opens (creating if needed, mode 0600) the catalog database at `path` and brings its schema up to date.
    /// - Throws: ``ToolhostError`` `storage_error` naming the file when it cannot be opened or migrated.
    public init(path: String) throws(ToolhostError) {
        do {
            // Created here rather than by SQLite (0644): its -wal and -shm files take the database's mode.
            try PrivateStorage.createFile(atPath: path)
            var configuration = Configuration()
            // Readers and the single writer wait for each other briefly instead of failing at once.
            configuration.busyMode = .timeout(5)
            database = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(database)
            changes = try DatabaseRevision(path: path)
        } catch {
            throw ToolhostError(.storage, "cannot open the catalog database \(path): \(error)")
        }
    }

    /// Runs `body` in a write transaction, turning database failures into `storage_error`s and
    /// letting ``ToolhostError``s through unchanged (the transaction is rolled back either way).
    func write<T>(_ body: (Database) throws -> T) throws(ToolhostError) -> T {
        do {
            let result = try database.write(body)
            changes.noteWrite()
            return result
        } catch let error as ToolhostError {
            throw error
        } catch {
            throw ToolhostError(.storage, "catalog write failed: \(error)")
        }
    }

    /// Runs `body` on a read-only snapshot; database failures become `storage_error`s.
    func read<T>(_ body: (Database) throws -> T) throws(ToolhostError) -> T {
        do {
            return try database.read(body)
        } catch let error as ToolhostError {
            throw error
        } catch {
            throw ToolhostError(.storage, "catalog read failed: \(error)")
        }
    }
}
