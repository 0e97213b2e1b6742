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
        struct Page: Encodable { var circuits: [CircuitState] }
        return try JSONResponse.make(Page(circuits: try await host.circuits(for: try context.requireCaller())))
    }

    @Sendable func showBuiltin(_ request: Request, context: ToolhostRequestContext) async throws -> Response {
        try await show(try context.decodedParameter("name"), context: context)
    }

    @Sendable func showPackaged(_ request: Request, context: ToolhostRequestContext) async throws -> Response {
        let name = "\(try context.decodedParameter("name"))/\(try context.decodedParameter("package"))/\(try context.decodedParameter("tool"))"
        return try await show(name, context: context)
    }

    /// The tool's circuit (closed when it never failed); 404 for a tool the tenant cannot see.
    private func show(_ name: String, context: ToolhostRequestContext) async throws -> Response {
        try JSONResponse.make(try await host.circuit(of: name, for: try context.requireCaller()))
    }
}
