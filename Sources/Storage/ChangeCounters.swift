import Foundation
import GRDB
import Synchronization

/// Counters in the database (`changeCounter`: one row per name) that the writers of one kind of
/// data bump in the same transaction — the registry's are bumped by triggers on packages,
/// versions and API keys — and that caches of that data compare. Another process's commit shows
/// within ``sampleInterval``, this process's own at once; a span or an audit event, which bump no
/// counter, leave the caches alone.
///
/// Reading the counters is a query, so they are read again only when something may have changed:
/// this process committed, or SQLite's `data_version` (read on a connection of its own, at most
/// every ``sampleInterval``) says another connection did.
final class ChangeCounters: Sendable {
    static let sampleInterval: UInt64 = 2_000_000  // nanoseconds

    private struct State {
        var dataVersion = 0
        var sampledAt: UInt64 = 0
        /// The data version and own-write count the cached values were read at.
        var valuesReadAt: (dataVersion: Int, ownWrites: Int)?
        var values: [String: Int] = [:]
        /// Counts failed reads, so that a failure reads as a change and nothing cached is trusted.
        var failures = 0
    }

    private let connection: DatabaseQueue
    private let ownWrites = Atomic<Int>(0)
    private let state = Mutex(State())

    /// The table the counters live in, for the writers' migrations and triggers.
    static let table = "changeCounter"

    init(path: String) throws {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(5)
        connection = try DatabaseQueue(path: path, configuration: configuration)
    }

    /// Creates the counters' table (on the writer: `connection` is read-only).
    static func migrate(_ writer: some DatabaseWriter) throws {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("storage v1: change counters") { db in
            try db.execute(sql: "CREATE TABLE \(table) (name TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL DEFAULT 0)")
        }
        try migrator.migrate(writer)
    }

    /// Call after every commit made through this process's database.
    func noteWrite() { ownWrites.add(1, ordering: .releasing) }

    /// The counter `name` (0 before its first change).
    func value(of name: String) -> Int {
        let now = DispatchTime.now().uptimeNanoseconds
        let own = ownWrites.load(ordering: .acquiring)
        return state.withLock { state -> Int in
            if state.sampledAt == 0 || now &- state.sampledAt >= Self.sampleInterval {
                if let version = try? connection.inDatabase({ db in try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }) {
                    state.dataVersion = version
                } else {
                    state.failures += 1
                    state.valuesReadAt = nil
                }
                state.sampledAt = now
            }
            if let readAt = state.valuesReadAt, readAt.dataVersion == state.dataVersion, readAt.ownWrites == own {
                return state.values[name] ?? 0
            }
            do {
                let rows = try connection.inDatabase { db in try Row.fetchAll(db, sql: "SELECT name, value FROM \(Self.table)") }
                state.values = Dictionary(rows.map { ($0["name"] as String, $0["value"] as Int) }, uniquingKeysWith: { $1 })
                state.valuesReadAt = (state.dataVersion, own)
                return state.values[name] ?? 0
            } catch {
                // Unknown: a value no read has given, so that a cache built on it is not trusted.
                state.failures += 1
                return Int.min + state.failures
            }
        }
    }
}
