import Foundation
import GRDB
import ToolhostCore

/// The host's persistent state: agents, approvals and circuit breakers, in the data directory's
/// database. Every change is one transaction, so a crash leaves each row either before or after it.
public struct HostStore: Sendable {
    let database: DatabasePool

    /// Uses `database` (shared with the catalog) and brings the host's tables up to date.
    /// - Throws: ``ToolhostError`` `storage_error`.
    public init(database: DatabasePool) throws(ToolhostError) {
        self.database = database
        do {
            try HostMigrations.migrator.migrate(database)
        } catch {
            throw ToolhostError(.storage, "cannot migrate the host's tables: \(error)")
        }
    }

    func write<T>(_ body: (Database) throws -> T) throws(ToolhostError) -> T {
        do {
            return try database.write(body)
        } catch let error as ToolhostError {
            throw error
        } catch {
            throw ToolhostError(.storage, "host store write failed: \(error)")
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws(ToolhostError) -> T {
        do {
            return try database.read(body)
        } catch let error as ToolhostError {
            throw error
        } catch {
            throw ToolhostError(.storage, "host store read failed: \(error)")
        }
    }

    static func json(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
