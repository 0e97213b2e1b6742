import Foundation
import ToolhostCore

/// What a long-running host does in the background (the server runs it as a service).
extension ToolHost {
    /// What one round of maintenance did.
    public struct MaintenanceReport: Sendable, Hashable {
        /// Approvals that expired without a decision.
        public var expired: [String] = []
        /// Approved runs whose runner is gone (its lease ran out, or its process stopped on this machine).
        public var interrupted: [String] = []
    }

    /// One round: pending approvals past their deadline expire (their callers find the answer), and
    /// approved runs whose runner is gone are marked interrupted — with several hosts on one store,
    /// a host that died is noticed by the others when its leases run out, not only when one restarts.
    /// - Throws: ``ToolhostError`` `storage_error`.
    public func performMaintenance(now: Date = Date()) async throws(ToolhostError) -> MaintenanceReport {
        var report = MaintenanceReport()
        report.expired = try await approvals.expireOverdueApprovals(now: now)
        report.interrupted = try await approvals.interruptAbandonedApprovals(now: now, isGone: HostInstance.isGone)
        return report
    }
}
