import Foundation
import ToolhostCore

/// Approvals: calls that wait for a person's decision, and what became of them. Every change is one
/// transaction with its audit event, so a crash leaves an approval either before or after it.
///
/// Nothing here is only in memory: a decision, a claim and its lease are in the store, so that
/// several hosts on one store run an approved call once, and a host that is gone is told apart
/// from one that is still running the call.
public protocol ApprovalStore: Sendable {
    /// Stores a new pending approval.
    func createApproval(_ approval: Approval) async throws(ToolhostError)

    /// The approvals of `tenant`, newest first, optionally of one status. Pending approvals past
    /// their expiry are marked expired first, so that a list never shows one that can no longer be approved.
    func approvals(tenant: String, status: Approval.Status?, limit: Int) async throws(ToolhostError) -> [Approval]

    /// One approval of `tenant`.
    /// - Throws: ``ToolhostError`` `not_found`, also for another tenant's approval.
    func approval(id: String, tenant: String) async throws(ToolhostError) -> Approval

    /// Moves a pending approval to `running` in one transaction, so that two approvers racing (or a
    /// retried request) run the call at most once. The run belongs to `runner` (a host instance)
    /// until `leaseUntil`, after which no run can still be going (the tool's own time limit is shorter).
    /// - Throws: ``ToolhostError`` `not_found`, or `conflict` naming the approval's current status.
    func claimApproval(id: String, tenant: String, by decider: String, reason: String?, editedInput: JSONValue?,
                       runner: String, leaseUntil: Date) async throws(ToolhostError) -> Approval

    /// Stores the result of an approved call that ran.
    func completeApproval(id: String, result: ToolCallResult) async throws(ToolhostError)

    /// Puts a claimed approval back to pending when its run never started (the circuit was open,
    /// say), so that it can be decided again. Never after a run.
    func releaseApproval(id: String) async throws(ToolhostError)

    /// Rejects a pending approval; `result` makes the answer its caller will find.
    /// - Throws: ``ToolhostError`` `not_found`, or `conflict` when it is no longer pending.
    func rejectApproval(id: String, tenant: String, by decider: String, reason: String?,
                        result: @escaping @Sendable (Approval) -> ToolCallResult) async throws(ToolhostError) -> Approval

    /// Marks the pending approvals past their expiry `expired`, each with the answer its caller will
    /// find; returns their ids. Reads do this too, so that none shows one that can no longer be approved.
    func expireOverdueApprovals(now: Date) async throws(ToolhostError) -> [String]

    /// Marks as interrupted the running approvals whose runner is gone: its lease has run out, or
    /// `isGone` knows it stopped (they are not run again: their side effects may have happened).
    /// A run of a host that still works is left alone. Returns the ids.
    func interruptAbandonedApprovals(now: Date, isGone: @escaping @Sendable (String) -> Bool) async throws(ToolhostError) -> [String]
}
