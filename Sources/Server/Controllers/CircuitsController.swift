import Foundation
import Host
import Hummingbird
import Registry
import ToolhostCore

/// `GET /api/v1/circuits` and `GET /api/v1/tools/{name}/circuit`: the circuit breakers of the
/// caller's tenant, as the host keeps them.
struct CircuitsController {
    let host: ToolHost

    func register(on group: RouterGroup<ToolhostRequestContext>) {
        group.get("circuits", use: list)
        // Circuits belong to a tool as calls resolve it: a built-in or a package's tool.
        group.get("tools/:name/circuit", use: showBuiltin)
        group.get("tools/:name/:package/:tool/circuit", use: showPackaged)
    }

    /// The circuits that are open, half-open, or closed with failures inside the window.
    @Sendable func list(_ request: Request, context: ToolhostRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try caller.require(.read)
        struct Page: Encodable { var circuits: [CircuitState] }
        let circuits = host.breakers.states(tenant: caller.tenant).filter { $0.state != .closed || !$0.recentFailures.isEmpty }
        return try JSONResponse.make(Page(circuits: circuits))
    }

    @Sendable func showBuiltin(_ request: Request, context: ToolhostRequestContext) async throws -> Response {
        try show(try context.decodedParameter("name"), context: context)
    }

    @Sendable func showPackaged(_ request: Request, context: ToolhostRequestContext) async throws -> Response {
        let name = "\(try context.decodedParameter("name"))/\(try context.decodedParameter("package"))/\(try context.decodedParameter("tool"))"
        return try show(name, context: context)
    }

    /// The tool's circuit (closed when it never failed); 404 for a tool the tenant cannot see.
    private func show(_ name: String, context: ToolhostRequestContext) throws -> Response {
        let caller = try context.requireCaller()
        try caller.require(.read)
        _ = try host.catalog.tool(named: name, version: nil, visibleTo: caller.tenant)
        return try JSONResponse.make(host.breakers.state(tenant: caller.tenant, tool: name))
    }
}
