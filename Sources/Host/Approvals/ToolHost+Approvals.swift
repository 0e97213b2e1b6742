import Registry
import ToolhostCore

/// Reading approvals, as a caller may see them.
extension ToolHost {
    /// The approvals of the caller's tenant, newest first, optionally of one status. Needs the `read` scope.
    public func approvals(for caller: Caller, status: Approval.Status? = nil, limit: Int = 100) async throws(ToolhostError) -> [Approval] {
        try caller.require(.read)
        return try await approvals.approvals(tenant: caller.tenant, status: status, limit: limit)
    }

    /// One approval of the caller's tenant. Needs the `read` scope.
    /// - Throws: ``ToolhostError`` `not_found`, also for another tenant's approval.
    public func approval(id: String, for caller: Caller) async throws(ToolhostError) -> Approval {
        try caller.require(.read)
        return try await approvals.approval(id: id, tenant: caller.tenant)
    }
}
