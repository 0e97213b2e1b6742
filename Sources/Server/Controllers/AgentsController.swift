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

    /// Needs the `admin` scope; the agent's level is at most the creating key's (the host's rules).
    @Sendable func create(_ request: Request, context: ToolhostRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try caller.require(.admin)
        let body = try await request.decodeJSON(CreateBody.self)
        guard let level = PrivilegeLevel(rawValue: body.maxPrivilege) else {
            throw ToolhostError(.invalidInput, "maxPrivilege: expected 1-5, got \(body.maxPrivilege)")
        }
        let agent = try await host.createAgent(name: body.name, maxPrivilege: level, tools: body.tools,
                                               approvalRequired: body.approvalRequired ?? [], by: caller)
        var response = try JSONResponse.make(agent, status: .created)
        response.headers[.location] = "/api/v1/agents/\(agent.id)"
        return response
    }

    @Sendable func list(_ request: Request, context: ToolhostRequestContext) async throws -> Response {
        struct Page: Encodable { var agents: [Agent] }
        return try JSONResponse.make(Page(agents: try await host.agents(for: try context.requireCaller())))
    }

    @Sendable func show(_ request: Request, context: ToolhostRequestContext) async throws -> Response {
        return try JSONResponse.make(try await host.agent(id: try context.decodedParameter("id"), for: try context.requireCaller()))
    }

    /// Replaces the grants; the host decides who may (``Host/ToolHost/setAgentTools(id:tools:approvalRequired:by:)``).
    @Sendable func setTools(_ request: Request, context: ToolhostRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try caller.require(.admin)
        let body = try await request.decodeJSON(ToolsBody.self)
        let updated = try await host.setAgentTools(id: try context.decodedParameter("id"), tools: body.tools,
                                                   approvalRequired: body.approvalRequired, by: caller)
        return try JSONResponse.make(updated)
    }

    /// A call made for the agent: its grants, its level and its approval policy apply, on top of the key's.
    @Sendable func invoke(_ request: Request, context: ToolhostRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let id = try context.decodedParameter("id")
        let body = try await request.decodeJSON(InvokeBody.self, upTo: InvocationsController.maxBodyBytes)
        return try InvocationsController.response(for: try await host.invoke(ToolCall(tool: body.tool, input: body.input, caller: caller, agentID: id)))
    }
}
