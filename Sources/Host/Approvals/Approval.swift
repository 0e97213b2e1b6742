import Foundation
import ToolhostCore

/// A call that waits for a human's decision (an approval gate), persisted so that it survives a
/// restart. Approving runs the call exactly once; rejecting or expiring ends it with an error.
public struct Approval: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        /// Waiting for a decision.
        case pending
        /// Approved; the call is running.
        case running
        /// Approved and run; ``result`` holds the call's result.
        case completed
        /// Rejected by a human.
        case rejected
        /// Not decided before ``expiresAt``.
        case expired
        /// Approved, but the host stopped while the call ran; it is not run again, because its side
        /// effects may already have happened.
        case interrupted
    }

    public var id: String
    public var tenant: String
    /// The tool as resolved when the call was made, and its version (pinned for the approved run).
    public var tool: String
    public var toolVersion: String
    public var input: JSONValue
    /// The API key that made the call.
    public var caller: String
    public var agent: String?
    /// Why the gate opened (`privilege level 3 EXECUTE_RISKY`, `agent policy`).
    public var reason: String
    public var status: Status
    public var createdAt: Date
    public var expiresAt: Date
    public var decidedBy: String?
    public var decidedAt: Date?
    public var decisionReason: String?
    /// The input as edited by the approver (validated again before the run).
    public var editedInput: JSONValue?
    /// The id the call's result and span carry.
    public var callId: String
    public var result: ToolCallResult?
    /// The workspace the call named (nil: the caller's default), where the approved run works. A
    /// host path, so it is kept with the approval but never encoded for a client.
    public var workspace: String? = nil
    /// The trace and parent span of the call, which the approved run's span joins.
    public var traceId: String? = nil
    public var parentSpanId: String? = nil
}

extension Approval {
    /// Every field but ``workspace``, a host path that no client is shown.
    private enum CodingKeys: String, CodingKey {
        case id, tenant, tool, toolVersion, input, caller, agent, reason, status, createdAt, expiresAt, decidedBy, decidedAt,
             decisionReason, editedInput, callId, result, traceId, parentSpanId
    }
}
