import Foundation
import GRDB
import Storage
import ToolhostCore

/// The host's state — approvals, agents and circuit breakers — in the data directory's SQLite
/// database, under migrations of its own. Every change is one transaction.
public struct SQLiteHostStore: Sendable {
    let database: SQLiteDatabase

    /// Uses `database` (shared with the catalog) and brings the host's tables up to date.
    /// - Throws: ``ToolhostError`` `storage_error`.
    public init(database: SQLiteDatabase) throws(ToolhostError) {
        self.database = database
        try database.migrate(HostMigrations.migrator, for: "host")
    }

    static func json(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
