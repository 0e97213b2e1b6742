import ToolhostCore

/// Where circuit states are kept, so that an open circuit survives a restart and is seen by every
/// host on the same store.
public protocol CircuitStateStore: Sendable {
    /// Every stored circuit state.
    func circuitStates() async throws(ToolhostError) -> [CircuitState]

    /// Stores one circuit's state, replacing what was stored for its tenant and tool.
    func saveCircuitState(_ state: CircuitState) async throws(ToolhostError)
}
