import Foundation
import GRDB
import Synchronization

/// What the catalog's caches compare to tell that what they hold may be stale: this process's own
/// commits, counted as they happen, and SQLite's `data_version`, read on a connection of its own,
/// which changes when another connection commits — another process on the same file (a CLI command
/// next to a server).
///
/// Reading `data_version` takes a lock on the database and costs as much as a small read, so it is
/// read at most once every ``sampleInterval``: another process's commit shows within it, this
/// process's own at once.
final class DatabaseRevision: Sendable {
    static let sampleInterval: UInt64 = 2_000_000  // nanoseconds

    private let connection: DatabaseQueue
    private let ownWrites = Atomic<Int>(0)
    private let sample = Mutex<(version: Int, takenAt: UInt64)>((0, 0))

    init(path: String) throws {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(5)
        connection = try DatabaseQueue(path: path, configuration: configuration)
    }

    /// Call after every commit made through this process's catalog.
    func noteWrite() { ownWrites.add(1, ordering: .releasing) }

    var value: Int {
        let now = DispatchTime.now().uptimeNanoseconds
        let version = sample.withLock { sample -> Int in
            if sample.takenAt != 0, now &- sample.takenAt < Self.sampleInterval { return sample.version }
            // A failed read counts as a change, so that nothing cached is trusted then.
            let read = (try? connection.inDatabase { db in try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }) ?? sample.version &+ 1
            sample = (read, now)
            return read
        }
        return (version << 32) ^ ownWrites.load(ordering: .acquiring)
    }
}
