import Foundation
import GRDB
import Storage
import ToolhostCore

/// The audit trail in the data directory's SQLite database (`auditEvent`).
public struct SQLiteAuditLog: AuditLog {
    let database: SQLiteDatabase

    init(database: SQLiteDatabase) {
        self.database = database
    }

    /// Appends an event inside the caller's transaction, so that the event exists exactly when the
    /// change does. For every SQLite store that shares the database (approval decisions, agent grants).
    package static func record(in db: Database, tenant: String, actor: String, action: String, target: String,
                               detail: JSONValue? = nil, remoteAddress: String? = nil) throws {
        try db.execute(
            sql: "INSERT INTO auditEvent (at, tenant, actor, action, target, detail, remoteAddress) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [Date(), tenant, actor, action, target, detail?.serialized(), remoteAddress])
    }

    public func events(tenant: String, limit: Int = 100) async throws(ToolhostError) -> [AuditEvent] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM auditEvent WHERE tenant = ? ORDER BY id DESC LIMIT ?", arguments: [tenant, limit]).map { row in
                AuditEvent(at: row["at"], tenant: row["tenant"], actor: row["actor"], action: row["action"], target: row["target"],
                           detail: (row["detail"] as String?).flatMap { try? JSONValue(parsing: $0) }, remoteAddress: row["remoteAddress"])
            }
        }
    }
}
