import Registry
import ToolhostCore

/// Agent administration, with its rules: who may create an agent, change what it may call, or see it.
extension ToolHost {
    /// Creates an agent of the caller's tenant. Needs the `admin` scope; the agent's level is at most
    /// the creating key's own (an agent never gets more than its creator).
    /// - Throws: ``ToolhostError`` `forbidden` (scope, level), `invalid_input` naming the field
    ///   (name, a tool pattern, too many patterns), `conflict` for a name the tenant already uses.
    public func createAgent(name: String, maxPrivilege: PrivilegeLevel, tools: [String], approvalRequired: [String],
                            by caller: Caller) async throws(ToolhostError) -> Agent {
        try caller.require(.admin)
        try Self.validateAgentName(name)
        guard maxPrivilege <= caller.maxPrivilege else {
            throw ToolhostError(.forbidden, "maxPrivilege \(maxPrivilege) is above this key's own \(caller.maxPrivilege); an agent never gets more than its creator",
                                details: ["requested": .int(maxPrivilege.rawValue), "allowed": .int(caller.maxPrivilege.rawValue)])
        }
        try Self.validate(tools, field: "tools")
        try Self.validate(approvalRequired, field: "approvalRequired")
        return try await agents.createAgent(name: name, tenant: caller.tenant, maxPrivilege: maxPrivilege, tools: tools,
                                            approvalRequired: approvalRequired, createdBy: caller.keyID)
    }

    /// The agents of the caller's tenant, by name. Needs the `read` scope.
    public func agents(for caller: Caller) async throws(ToolhostError) -> [Agent] {
        try caller.require(.read)
        return try await agents.agents(tenant: caller.tenant)
    }

    /// One agent of the caller's tenant. Needs the `read` scope.
    /// - Throws: ``ToolhostError`` `not_found`, also for another tenant's agent.
    public func agent(id: String, for caller: Caller) async throws(ToolhostError) -> Agent {
        try caller.require(.read)
        return try await agents.agent(id: id, tenant: caller.tenant)
    }

    /// Replaces an agent's grants (and, when given, the tools that need approval). Changing what an
    /// agent may call is an ADMIN (level 4) action in the design's privilege table: the key needs the
    /// `admin` scope and level 4, and at least the agent's own level.
    /// - Throws: ``ToolhostError`` `forbidden` naming the scope or the levels, `not_found`,
    ///   `invalid_input` naming the pattern.
    public func setAgentTools(id: String, tools: [String], approvalRequired: [String]?, by caller: Caller) async throws(ToolhostError) -> Agent {
        try caller.require(.admin)
        guard caller.maxPrivilege >= .admin else {
            throw ToolhostError(.forbidden, "changing an agent's tool grants needs privilege level \(PrivilegeLevel.admin); this API key allows at most \(caller.maxPrivilege)",
                                details: ["required": .int(PrivilegeLevel.admin.rawValue), "allowed": .int(caller.maxPrivilege.rawValue)])
        }
        let agent = try await agents.agent(id: id, tenant: caller.tenant)
        guard agent.maxPrivilege <= caller.maxPrivilege else {
            throw ToolhostError(.forbidden, "agent \(agent.name) is allowed up to \(agent.maxPrivilege), above this key's own \(caller.maxPrivilege)")
        }
        try Self.validate(tools, field: "tools")
        if let approvalRequired { try Self.validate(approvalRequired, field: "approvalRequired") }
        return try await agents.setAgentTools(id: id, tenant: caller.tenant, tools: tools, approvalRequired: approvalRequired, changedBy: caller.keyID)
    }

    static func validateAgentName(_ name: String) throws(ToolhostError) {
        guard (1...64).contains(name.count), name.allSatisfy({ $0.isLetter || $0.isNumber || "-_. ".contains($0) }),
              name.first != " ", name.last != " " else {
            throw ToolhostError(.invalidInput, "name: \"\(name)\" is not an agent name (1-64 letters, digits, spaces and - _ .)")
        }
    }

    static func validate(_ patterns: [String], field: String) throws(ToolhostError) {
        guard patterns.count <= 1000 else {
            throw ToolhostError(.invalidInput, "\(field): at most 1000 entries, got \(patterns.count)")
        }
        for (index, pattern) in patterns.enumerated() {
            try ToolPattern.validate(pattern, field: "\(field)[\(index)]")
        }
    }
}
