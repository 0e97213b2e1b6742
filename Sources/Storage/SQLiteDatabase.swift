import Foundation
import GRDB
import ToolhostCore

/// The data directory's one SQLite file (`toolhost.sqlite`), in WAL mode, which every embedded
/// store shares: the catalog, keys, audit log, host state and traces keep their tables in it under
/// their own migrations. One file, one writer, one transaction log, so that a change and its audit
/// event commit together.
///
/// GRDB stays inside the package: the stores reach the pool through `package` accessors, and what
/// they offer the rest of Toolhost are protocols that a PostgreSQL store can implement as well.
public final class SQLiteDatabase: Sendable {
    /// The file's path.
    public let path: String
    package let pool: DatabasePool
    private let changes: ChangeCounters

    /// Opens (creating if needed, mode 0600) the database at `path`.
    /// - Throws: ``ToolhostError`` `storage_error` naming the file when it cannot be opened.
    public init(path: String) throws(ToolhostError) {
        self.path = path
        do {
            // Created here rather than by SQLite (0644): its -wal and -shm files take the database's mode.
            try PrivateStorage.createFile(atPath: path)
            var configuration = Configuration()
            // Readers and the single writer wait for each other briefly instead of failing at once.
            configuration.busyMode = .timeout(5)
            pool = try DatabasePool(path: path, configuration: configuration)
            try ChangeCounters.migrate(pool)
            changes = try ChangeCounters(path: path)
        } catch {
            throw ToolhostError(.storage, "cannot open the database \(path): \(error)")
        }
    }

    /// The change counter `name`: it changes with every commit that changed what it counts — at
    /// once for this process's commits, within milliseconds for another process's on the same file
    /// (a CLI command or a second server next to this one). Caches compare it to tell that what
    /// they hold may be stale; nothing else is needed to see another process's changes.
    ///
    /// A store keeps its counter up to date with triggers or writes of its own on
    /// ``changeCounterTable`` (a row per name, `value` bumped in the changing transaction).
    public func changeCount(_ name: String) -> Int { changes.value(of: name) }

    /// The table of change counters: `name TEXT PRIMARY KEY, value INTEGER`.
    package static var changeCounterTable: String { ChangeCounters.table }

    /// Brings the tables of one store up to date.
    /// - Throws: ``ToolhostError`` `storage_error` naming `store`.
    package func migrate(_ migrator: DatabaseMigrator, for store: String) throws(ToolhostError) {
        do {
            try migrator.migrate(pool)
        } catch {
            throw ToolhostError(.storage, "cannot migrate the \(store) tables in \(path): \(error)")
        }
    }

    /// Runs `body` in a write transaction, blocking the calling thread — for code that runs on a
    /// thread of its own (the span flusher), never on the cooperative pool. Database failures become
    /// `storage_error`s; ``ToolhostError``s pass unchanged. The transaction is rolled back either way.
    package func write<T>(_ body: (Database) throws -> T) throws(ToolhostError) -> T {
        do {
            let result = try pool.write(body)
            changes.noteWrite()
            return result
        } catch {
            throw failure(error, "write")
        }
    }

    /// Runs `body` in a write transaction on GRDB's writer queue, suspending (not blocking) the
    /// calling task until it is done.
    package func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(ToolhostError) -> T {
        do {
            let result = try await pool.write(body)
            changes.noteWrite()
            return result
        } catch {
            throw failure(error, "write")
        }
    }

    /// Runs `body` on a read-only snapshot on one of GRDB's reader queues, suspending the calling task.
    package func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(ToolhostError) -> T {
        do {
            return try await pool.read(body)
        } catch {
            throw failure(error, "read")
        }
    }

    private func failure(_ error: any Error, _ operation: String) -> ToolhostError {
        if let error = error as? ToolhostError { return error }
        return ToolhostError(.storage, "a database \(operation) failed (\(path)): \(error)")
    }
}
