import Foundation
import GRDB

/// What a data directory holds, to compare before and after a request that must change nothing:
/// the row count of every table of the catalog database and every file under `blobs/`.
///
/// Read with a separate connection, as an operator's `sqlite3` would, while the server runs.
struct StoreSnapshot: Equatable, CustomStringConvertible {
    var rows: [String: Int]
    /// Path under `blobs/` → size in bytes; temporary files included.
    var blobs: [String: Int]

    /// - Throws: when the database cannot be opened or read.
    static func take(of dataDirectory: URL) throws -> StoreSnapshot {
        try StoreSnapshot(rows: rowCounts(of: dataDirectory), blobs: blobFiles(of: dataDirectory))
    }

    /// A connection to the catalog; `readonly` leaves the files exactly as they are (no recovery,
    /// no checkpoint on close), for looking at what a crash left before the server restarts.
    static func database(in dataDirectory: URL, readonly: Bool = false) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = readonly
        configuration.busyMode = .timeout(5)
        return try DatabaseQueue(path: dataDirectory.appendingPathComponent("toolhost.sqlite").path, configuration: configuration)
    }

    static func rowCounts(of dataDirectory: URL) throws -> [String: Int] {
        let database = try database(in: dataDirectory)
        defer { try? database.close() }
        return try database.read { db in
            let tables = try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'toolSearch_%'
                """)
            var counts: [String: Int] = [:]
            for table in tables { counts[table] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \"\(table)\"") ?? 0 }
            return counts
        }
    }

    static func blobFiles(of dataDirectory: URL) -> [String: Int] {
        let root = dataDirectory.appendingPathComponent("blobs")
        var files: [String: Int] = [:]
        let keys: [URLResourceKey] = [.isRegularFileKey, .fileSizeKey]
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: keys) else { return files }
        for case let url as URL in walker {
            let values = try? url.resourceValues(forKeys: Set(keys))
            guard values?.isRegularFile == true else { continue }
            files[String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))] = values?.fileSize ?? -1
        }
        return files
    }

    var description: String { "rows \(rows.sorted { $0.key < $1.key }), \(blobs.count) blob file(s)" }
}
