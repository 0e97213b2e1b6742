import BuiltinTools
import Foundation
import ToolhostCore

/// Runs a built-in handler once, in a scratch workspace that is removed afterwards, as the host
/// does after validating the input.
enum ToolRun {
    static func output(of tool: any BuiltinTool, _ input: JSONValue) async throws(ToolFailure) -> JSONValue {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("toolhost-test-\(tool.name)-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        return try await tool.run(input, in: ToolContext(workspace: try Workspace(root: root)))
    }

    /// The failure of the call, or nil when it succeeded.
    static func failure(of tool: any BuiltinTool, _ input: JSONValue) async -> ToolFailure? {
        do {
            _ = try await output(of: tool, input)
            return nil
        } catch {
            return error
        }
    }
}
