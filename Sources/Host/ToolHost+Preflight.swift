import Registry
import ToolhostCore

/// What a call of a tool would be, known before making it: a workflow checks its tools this way
/// when it is defined, rather than failing at the node that calls them.
public struct ToolPreflight: Sendable, Hashable {
    /// The name the call resolves to (`hash_digest`, `acme/word-count/count`) and its version.
    public var name: String
    public var version: SemanticVersion
    public var privilegeLevel: PrivilegeLevel
    /// Why a call would wait for a person's approval (its level, or the agent's policy), if it would.
    public var approvalReason: String?
}

extension ToolHost {
    /// Resolves `tool` (`name@range`) and authorizes `caller` (and the agent, when given) to call it,
    /// the way ``invoke(_:)`` would — scope, privilege, grants — without calling it or recording anything.
    /// - Throws: ``ToolhostCore/ToolhostError``: `invalid_input` for a malformed reference, `not_found`
    ///   (also for an agent or a tool the caller's tenant cannot see), `forbidden` naming the rule.
    public func preflight(tool: String, caller: Caller, agentID: String? = nil) async throws(ToolhostError) -> ToolPreflight {
        try caller.require(.invoke)
        let reference = try ToolReference(parsing: tool)
        let agent = try await agent(agentID, tenant: caller.tenant)
        let resolved = try await resolver.resolve(reference, tenant: caller.tenant)
        try authorize(resolved, caller: caller, agent: agent)
        return ToolPreflight(name: resolved.name, version: resolved.detail.version, privilegeLevel: resolved.privilegeLevel,
                             approvalReason: approvalReason(for: resolved, agent: agent))
    }
}
