import Registry
import ToolhostCore

extension ToolHost {
    /// The tool an approval's call runs, once `caller` may decide on it: the `approve` scope and at
    /// least the tool's privilege level. One rule for both decisions: a key lets through, or turns
    /// away, only the calls it could run itself.
    /// - Parameter decision: `approving` or `rejecting`, for the message.
    /// - Throws: ``ToolhostError`` `forbidden` naming the scope or the levels, `not_found`.
    func decidableTool(of id: String, by caller: Caller, decision: String) async throws(ToolhostError) -> ResolvedTool {
        try caller.require(.approve)
        let approval = try await approvals.approval(id: id, tenant: caller.tenant)
        // The tool as it was when the call was made: an exact pin resolves even a yanked version.
        let tool = try await resolver.resolve(try ToolReference(parsing: "\(approval.tool)@\(approval.toolVersion)"), tenant: caller.tenant)
        guard tool.privilegeLevel <= caller.maxPrivilege else {
            throw ToolhostError(
                .forbidden,
                "\(decision) this call of \(tool.name) needs privilege level \(tool.privilegeLevel), the tool's own; "
                    + "this API key allows at most \(caller.maxPrivilege)",
                details: ["required": .int(tool.privilegeLevel.rawValue), "allowed": .int(caller.maxPrivilege.rawValue)])
        }
        return tool
    }
}
