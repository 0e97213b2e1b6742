import Foundation
import Host
import Hummingbird
import Registry
import ToolhostCore

/// `/api/v1/agents…`: a tenant's agents, their tool grants, and calls made for them.
struct AgentsController {
    let host: ToolHost

    func register(on group: RouterGroup<ToolhostRequestContext>) {
        group.post("agents", use: create)
        group.get("agents", use: list)
        group.get("agents/:id", use: show)
        group.put("agents/:id/tools", use: setTools)
        group.post("agents/:id/invoke", use: invoke)
    }

    struct CreateBody: Decodable {
        var name: String
        var maxPrivilege: Int
        var tools: [String]
        var approvalRequired: [String]?
    }

    struct ToolsBody: Decodable {
        var tools: [String]
        var approvalRequired: [String]?
    }

    struct InvokeBody: Decodable {
        var tool: String
        var input: JSONValue
    }

    /// Needs the `admin` scope; the agent's level is at most the creating key's.
    @Sendable func create(_ request: Request, context: ToolhostRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try caller.require(.admin)
        let body = try await request.decodeJSON(CreateBody.self)
        try Self.validateName(body.name)
        guard let level = PrivilegeLevel(rawValue: body.maxPrivilege) else {
            throw APIError(status: .unprocessableContent, code: "invalid_input", message: "maxPrivilege: expected 1-5, got \(body.maxPrivilege)")
        }
        guard level <= caller.maxPrivilege else {
            throw APIError(status: .forbidden, code: "forbidden",
                           message: "maxPrivilege \(level) is above this key's own \(caller.maxPrivilege); an agent never gets more than its creator",
                           details: ["requested": .int(level.rawValue), "allowed": .int(caller.maxPrivilege.rawValue)])
        }
        try Self.validate(body.tools, field: "tools")
        try Self.validate(body.approvalRequired ?? [], field: "approvalRequired")
        let agent = try host.store.createAgent(name: body.name, tenant: caller.tenant, maxPrivilege: level, tools: body.tools,
                                               approvalRequired: body.approvalRequired ?? [], createdBy: caller.keyID)
        var response = try JSONResponse.make(agent, status: .created)
        response.headers[.location] = "/api/v1/agents/\(agent.id)"
        return response
    }

    @Sendable func list(_ request: Request, context: ToolhostRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try caller.require(.read)
        struct Page: Encodable { var agents: [Agent] }
        return try JSONResponse.make(Page(agents: try host.store.agents(tenant: caller.tenant)))
    }

    @Sendable func show(_ request: Request, context: ToolhostRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try caller.require(.read)
        return try JSONResponse.make(try host.store.agent(id: try context.decodedParameter("id"), tenant: caller.tenant))
    }

    /// Replaces the grants. Changing what an agent may call is an ADMIN (level 4) action in the
    /// design's privilege table, so a key needs the `admin` scope and level 4, and at least the
    /// agent's own level.
    @Sendable func setTools(_ request: Request, context: ToolhostRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try caller.require(.admin)
        guard caller.maxPrivilege >= .admin else {
            throw APIError(status: .forbidden, code: "forbidden",
                           message: "changing an agent's tool grants needs privilege level \(PrivilegeLevel.admin); this API key allows at most \(caller.maxPrivilege)",
                           details: ["required": .int(PrivilegeLevel.admin.rawValue), "allowed": .int(caller.maxPrivilege.rawValue)])
        }
        let id = try context.decodedParameter("id")
        let agent = try host.store.agent(id: id, tenant: caller.tenant)
        guard agent.maxPrivilege <= caller.maxPrivilege else {
            throw APIError(status: .forbidden, code: "forbidden",
                           message: "agent \(agent.name) is allowed up to \(agent.maxPrivilege), above this key's own \(caller.maxPrivilege)")
        }
        let body = try await request.decodeJSON(ToolsBody.self)
        try Self.validate(body.tools, field: "tools")
        if let approvalRequired = body.approvalRequired { try Self.validate(approvalRequired, field: "approvalRequired") }
        let updated = try host.store.setAgentTools(id: id, tenant: caller.tenant, tools: body.tools, approvalRequired: body.approvalRequired,
                                                   changedBy: caller.keyID)
        return try JSONResponse.make(updated)
    }

    /// A call made for the agent: its grants, its level and its approval policy apply, on top of the key's.
    @Sendable func invoke(_ request: Request, context: ToolhostRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let id = try context.decodedParameter("id")
        let body = try await request.decodeJSON(InvokeBody.self, upTo: InvocationsController.maxBodyBytes)
        return try InvocationsController.response(for: try await host.invoke(ToolCall(tool: body.tool, input: body.input, caller: caller, agentID: id)))
    }

    static func validateName(_ name: String) throws {
        guard (1...64).contains(name.count), name.allSatisfy({ $0.isLetter || $0.isNumber || "-_. ".contains($0) }),
              name.first != " ", name.last != " " else {
            throw APIError(status: .unprocessableContent, code: "invalid_input",
                           message: "name: \"\(name)\" is not an agent name (1-64 letters, digits, spaces and - _ .)")
        }
    }

    static func validate(_ patterns: [String], field: String) throws {
        guard patterns.count <= 1000 else {
            throw APIError(status: .unprocessableContent, code: "invalid_input", message: "\(field): at most 1000 entries, got \(patterns.count)")
        }
        for (index, pattern) in patterns.enumerated() {
            try ToolPattern.validate(pattern, field: "\(field)[\(index)]")
        }
    }
}
