import Foundation
import ToolhostCore

/// The audit trail: who did what to which object, when and from where. Stores record an event in
/// the same transaction as the change it describes, so an event exists exactly when its change does.
public protocol AuditLog: Sendable {
    /// The latest events of `tenant`, newest first.
    /// - Throws: ``ToolhostError`` `storage_error`.
    func events(tenant: String, limit: Int) async throws(ToolhostError) -> [AuditEvent]
}

/// One entry of the audit trail.
public struct AuditEvent: Sendable, Hashable, Codable {
    public var at: Date
    public var tenant: String
    public var actor: String
    public var action: String
    public var target: String
    public var detail: JSONValue?
    public var remoteAddress: String?
}
