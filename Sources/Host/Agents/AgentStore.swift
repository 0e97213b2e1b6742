import ToolhostCore

/// Agents: named identities of a tenant with their own privilege ceiling, granted tools and
/// approval policy. Every change is one transaction with its audit event.
public protocol AgentStore: Sendable {
    /// Creates an agent of `tenant`.
    /// - Throws: ``ToolhostError`` `conflict` when the tenant already has an agent of that name.
    func createAgent(name: String, tenant: String, maxPrivilege: PrivilegeLevel, tools: [String],
                     approvalRequired: [String], createdBy: String) async throws(ToolhostError) -> Agent

    /// The agents of `tenant`, by name.
    func agents(tenant: String) async throws(ToolhostError) -> [Agent]

    /// One agent of `tenant`.
    /// - Throws: ``ToolhostError`` `not_found` (also for another tenant's agent).
    func agent(id: String, tenant: String) async throws(ToolhostError) -> Agent

    /// Replaces an agent's granted tools (and, when given, the tools that need approval), naming `actor`
    /// in the audit event.
    /// - Throws: ``ToolhostError`` `not_found` (also for another tenant's agent).
    func setAgentTools(id: String, tenant: String, tools: [String], approvalRequired: [String]?,
                       changedBy actor: String) async throws(ToolhostError) -> Agent
}
