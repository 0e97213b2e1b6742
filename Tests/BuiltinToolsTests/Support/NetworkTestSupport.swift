import BuiltinTools
import Foundation
import Testing
import ToolhostCore

/// Contexts and checks shared by the network tools' tests.
enum NetworkTest {
    /// A context with a fresh workspace and `configure` applied to a default configuration.
    static func context(secrets: [String: String] = [:], timeoutMs: Int? = nil,
                        configure: (inout BuiltinConfiguration) -> Void = { _ in }) throws -> ToolContext {
        var configuration = BuiltinConfiguration()
        configure(&configuration)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("toolhost-net-\(UUID().uuidString)")
        var limits = ToolLimits()
        limits.timeoutMs = timeoutMs
        return ToolContext(workspace: try Workspace(root: root), configuration: configuration, secrets: secrets, limits: limits)
    }

    /// A context that lets the tools reach the loopback fixture server.
    static func loopbackContext(secrets: [String: String] = [:], timeoutMs: Int? = nil,
                                configure: (inout BuiltinConfiguration) -> Void = { _ in }) throws -> ToolContext {
        try context(secrets: secrets, timeoutMs: timeoutMs) { configuration in
            configuration.network.allowLoopback = true
            configure(&configuration)
        }
    }

    /// Runs `tool` and returns its failure, recording an issue when it succeeds.
    static func failure(of tool: any BuiltinTool, _ input: JSONValue, in context: ToolContext,
                        sourceLocation: SourceLocation = #_sourceLocation) async -> ToolFailure? {
        do {
            let output = try await tool.run(input, in: context)
            Issue.record("expected a failure, got \(output)", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    /// Expects `tool` to fail with `kind` and a message containing every one of `fragments`.
    static func expectFailure(of tool: any BuiltinTool, _ input: JSONValue, in context: ToolContext, kind: ToolFailure.Kind,
                              mentioning fragments: [String], sourceLocation: SourceLocation = #_sourceLocation) async {
        guard let failure = await failure(of: tool, input, in: context, sourceLocation: sourceLocation) else { return }
        #expect(failure.kind == kind, "\(failure)", sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(failure.message.contains(fragment), "\"\(fragment)\" not in: \(failure.message)", sourceLocation: sourceLocation)
        }
    }
}
