import Foundation
import GRDB
import Registry
import Storage
import ToolhostCore

extension SQLiteHostStore: AgentStore {
    /// Creates an agent of `tenant`, with an `agent.created` audit event in the same transaction.
    /// - Throws: ``ToolhostError`` `conflict` when the tenant already has an agent of that name.
    public func createAgent(name: String, tenant: String, maxPrivilege: PrivilegeLevel, tools: [String],
                            approvalRequired: [String], createdBy: String) async throws(ToolhostError) -> Agent {
        let agent = Agent(id: "agt_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20),
                          tenant: tenant, name: name, maxPrivilege: maxPrivilege, tools: tools,
                          approvalRequired: approvalRequired, createdAt: Date(), createdBy: createdBy)
        return try await database.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM agent WHERE tenant = ? AND name = ?", arguments: [tenant, name]) == true {
                throw ToolhostError(.conflict, "an agent named \"\(name)\" already exists")
            }
            try db.execute(sql: """
                INSERT INTO agent (id, tenant, name, maxPrivilege, tools, approvalRequired, createdAt, createdBy)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [agent.id, tenant, name, maxPrivilege.rawValue, try Self.json(tools),
                                 try Self.json(approvalRequired), agent.createdAt, createdBy])
            try SQLiteAuditLog.record(in: db, tenant: tenant, actor: createdBy, action: "agent.created", target: agent.id,
                                    detail: Self.grantDetail(name: name, maxPrivilege: maxPrivilege, tools: tools, approvalRequired: approvalRequired))
            return agent
        }
    }

    /// The agents of `tenant`, by name.
    public func agents(tenant: String) async throws(ToolhostError) -> [Agent] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM agent WHERE tenant = ? ORDER BY name", arguments: [tenant]).map(Self.agent(from:))
        }
    }

    /// One agent of `tenant`.
    /// - Throws: ``ToolhostError`` `not_found` (also for another tenant's agent).
    public func agent(id: String, tenant: String) async throws(ToolhostError) -> Agent {
        try await database.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM agent WHERE id = ? AND tenant = ?", arguments: [id, tenant]) else {
                throw ToolhostError(.notFound, "no agent \"\(id)\"")
            }
            return try Self.agent(from: row)
        }
    }

    /// Replaces an agent's granted tools (and, when given, the tools that need approval), with an
    /// `agent.grants_changed` audit event naming `actor` in the same transaction.
    /// - Throws: ``ToolhostError`` `not_found` (also for another tenant's agent).
    public func setAgentTools(id: String, tenant: String, tools: [String], approvalRequired: [String]?,
                              changedBy actor: String = "system") async throws(ToolhostError) -> Agent {
        try await database.write { db in
            try db.execute(sql: "UPDATE agent SET tools = ?, approvalRequired = COALESCE(?, approvalRequired) WHERE id = ? AND tenant = ?",
                           arguments: [try Self.json(tools), try approvalRequired.map { try Self.json($0) }, id, tenant])
            guard db.changesCount == 1, let row = try Row.fetchOne(db, sql: "SELECT * FROM agent WHERE id = ?", arguments: [id]) else {
                throw ToolhostError(.notFound, "no agent \"\(id)\"")
            }
            let agent = try Self.agent(from: row)
            try SQLiteAuditLog.record(in: db, tenant: tenant, actor: actor, action: "agent.grants_changed", target: id,
                                    detail: Self.grantDetail(name: agent.name, maxPrivilege: agent.maxPrivilege, tools: agent.tools,
                                                             approvalRequired: agent.approvalRequired))
            return agent
        }
    }

    private static func grantDetail(name: String, maxPrivilege: PrivilegeLevel, tools: [String], approvalRequired: [String]) -> JSONValue {
        ["name": .string(name), "maxPrivilege": .int(maxPrivilege.rawValue), "tools": .array(tools.map(JSONValue.string)),
         "approvalRequired": .array(approvalRequired.map(JSONValue.string))]
    }

    static func agent(from row: Row) throws -> Agent {
        Agent(id: row["id"], tenant: row["tenant"], name: row["name"],
              maxPrivilege: PrivilegeLevel(rawValue: row["maxPrivilege"]) ?? .readOnly,
              tools: try decode([String].self, row["tools"]), approvalRequired: try decode([String].self, row["approvalRequired"]),
              createdAt: row["createdAt"], createdBy: row["createdBy"])
    }
}
