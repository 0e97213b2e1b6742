import Host
import Registry
import ToolhostCore

extension WorkflowDefinition {
    /// The tools the definition's nodes call (`tool` and `map` nodes), with the nodes that call them.
    public var toolCalls: [(node: WorkflowNode, tool: String)] {
        nodes.compactMap { node in node.fields["tool"]?.stringValue.map { (node, $0) } }
    }

    /// Checks every tool the definition calls the way a run as `caller` (for `agentID`) would call
    /// it: the tool exists and the caller and the agent may call it. Returns what each call would
    /// be, by node id — including which would wait for approval.
    /// - Throws: ``ToolhostCore/ToolhostError`` `invalid_input` listing every node whose tool cannot be
    ///   called, each with the line (or pointer) of its `tool` field and the host's reason.
    public func checkTools(on host: ToolHost, caller: Caller, agentID: String? = nil,
                           source: String) async throws(ToolhostError) -> [String: ToolPreflight] {
        var checked: [String: ToolPreflight] = [:]
        var problems: [WorkflowDefinitionError.Problem] = []
        for (node, tool) in toolCalls {
            do throws(ToolhostError) {
                checked[node.id] = try await host.preflight(tool: tool, caller: caller, agentID: agentID)
            } catch {
                problems.append(.init(location: node.location(of: "tool"), message: "\(node.id) calls \(tool): \(error.message)"))
            }
        }
        guard problems.isEmpty else { throw WorkflowDefinitionError(source: source, problems: problems).toolhostError }
        return checked
    }
}
