import GRDB
import Synchronization

/// SQLite's `data_version`, read on a connection of its own: it changes whenever another connection
/// commits — this process's writer, or another process on the same file — so caches that compare it
/// see every write, wherever it was made, without a table of their own.
final class DatabaseRevision: Sendable {
    private let connection: DatabaseQueue
    /// Handed out when the database cannot be read: a value never seen before, so nothing cached is trusted.
    private let failures = Mutex<Int>(Int.min)

    init(path: String) throws {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(5)
        connection = try DatabaseQueue(path: path, configuration: configuration)
    }

    var value: Int {
        do {
            return try connection.inDatabase { db in try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
        } catch {
            return failures.withLock { value in
                value += 1
                return value
            }
        }
    }
}
