import Foundation
import Registry
import ToolhostCore

/// One request to call a tool, from any entry point (CLI, HTTP, MCP, a workflow).
public struct ToolCall: Sendable {
    /// `hash_digest`, `acme/word-count@^1`, `acme/word-count/count@1.2.0`.
    public var tool: String
    public var input: JSONValue
    /// Who calls: tenant, maximum privilege, scopes.
    public var caller: Caller
    /// The agent the call is made for; its grants and maximum privilege apply too.
    public var agentID: String?
    /// The workspace the file tools are confined to; by default the agent's, or the caller's.
    public var workspace: URL?
    /// Secret values for this call only (tests, examples); they win over the host's.
    public var secrets: [String: String] = [:]
    /// Continue this trace (a workflow run); a new trace otherwise.
    public var traceID: String?
    public var parentSpanID: String?

    public init(tool: String, input: JSONValue, caller: Caller, agentID: String? = nil) {
        self.tool = tool
        self.input = input
        self.caller = caller
        self.agentID = agentID
    }
}
