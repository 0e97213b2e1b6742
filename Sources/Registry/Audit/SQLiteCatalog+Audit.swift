import Foundation
import GRDB
import ToolhostCore

/// One entry of the audit trail: who did what to which object, when and from where.
public struct AuditEvent: Sendable, Hashable, Codable {
    public var at: Date
    public var tenant: String
    public var actor: String
    public var action: String
    public var target: String
    public var detail: JSONValue?
    public var remoteAddress: String?
}

extension SQLiteCatalog {
    /// Appends an event inside the caller's transaction, so the event exists exactly when the change
    /// does. Public for the other stores that share the database (approval decisions, agent grants).
    public static func audit(in db: Database, tenant: String, actor: String, action: String, target: String,
                      detail: JSONValue? = nil, remoteAddress: String? = nil) throws {
        try db.execute(
            sql: "INSERT INTO auditEvent (at, tenant, actor, action, target, detail, remoteAddress) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [Date(), tenant, actor, action, target, detail?.serialized(), remoteAddress])
    }

    /// The latest audit events of `tenant`, newest first.
    /// - Throws: ``ToolhostError`` `storage_error` when the database fails.
    public func auditEvents(tenant: String, limit: Int = 100) throws(ToolhostError) -> [AuditEvent] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM auditEvent WHERE tenant = ? ORDER BY id DESC LIMIT ?", arguments: [tenant, limit]).map { row in
                AuditEvent(at: row["at"], tenant: row["tenant"], actor: row["actor"], action: row["action"], target: row["target"],
                           detail: (row["detail"] as String?).flatMap { try? JSONValue(parsing: $0) }, remoteAddress: row["remoteAddress"])
            }
        }
    }
}
