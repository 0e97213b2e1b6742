import Registry
import ToolhostCore

/// The circuit breakers, as a caller may see them.
extension ToolHost {
    /// The circuits of the caller's tenant that are open, half-open, or closed with failures inside
    /// the window. Needs the `read` scope.
    public func circuits(for caller: Caller) async throws(ToolhostError) -> [CircuitState] {
        try caller.require(.read)
        return await breakers.states(tenant: caller.tenant).filter { $0.state != .closed || !$0.recentFailures.isEmpty }
    }

    /// One tool's circuit (closed when it never failed). Needs the `read` scope.
    /// - Throws: ``ToolhostError`` `not_found` for a tool the caller's tenant cannot see.
    public func circuit(of tool: String, for caller: Caller) async throws(ToolhostError) -> CircuitState {
        try caller.require(.read)
        _ = try await catalog.tool(named: tool, version: nil, visibleTo: caller.tenant)
        return await breakers.state(tenant: caller.tenant, tool: tool)
    }
}
