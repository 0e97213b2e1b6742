import BuiltinTools
import Foundation
import Sandbox
import Testing
import ToolhostCore

/// The real sandbox for the exec tools' tests: one instance shared by every test (as a server shares
/// one), fresh workspaces per call, and the tool's manifest limits in the context, as the host gives them.
enum ExecFixture {
    static let sandbox: Sandbox = {
        do {
            return try Sandbox()
        } catch {
            fatalError("the sandbox cannot start: \(error)")
        }
    }()

    /// A harness for the manifest examples that runs them in the shared sandbox.
    static var harness: ExampleHarness {
        var harness = ExampleHarness()
        harness.sandbox = sandbox
        return harness
    }

    /// The one tool of `tool`'s manifest.
    static func manifestTool(_ tool: String) throws -> ToolDefinition {
        let file = ExampleHarness.toolsDirectory.appendingPathComponent(tool).appendingPathComponent("toolhost.json")
        return try ManifestLoader.load(contentsOf: file).manifest.tools[0]
    }

    /// The limits of `tool`'s manifest.
    static func manifestLimits(of tool: String) throws -> ToolLimits {
        try manifestTool(tool).limits ?? ToolLimits()
    }

    /// A fresh, empty workspace directory; the caller removes it.
    static func workspaceDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("toolhost-test-exec-\(UUID().uuidString)")
    }

    /// One call of `tool` in a fresh workspace (or `workspace`) with the shared sandbox; the output is
    /// checked against the tool's output schema. `limits` overrides the manifest's.
    static func call(
        _ tool: String, _ input: JSONValue, limits: ToolLimits? = nil, in workspace: URL? = nil, quota: WorkspaceQuota? = nil,
        report: ToolRunReport = ToolRunReport(), sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> JSONValue {
        let root = workspace ?? workspaceDirectory()
        defer { if workspace == nil { try? FileManager.default.removeItem(at: root) } }
        let context = ToolContext(
            workspace: try Workspace(root: root, quota: quota), sandbox: sandbox, limits: try limits ?? manifestLimits(of: tool), report: report)
        let handler = try #require(BuiltinToolbox.handler(named: tool))
        let output = try await handler.run(input, in: context)
        let schema = try JSONSchema(try manifestTool(tool).outputSchema)
        let check = schema.validate(output)
        #expect(check.isValid, "output breaks the output schema: \(check.errors)\n\(output)", sourceLocation: sourceLocation)
        return output
    }

    /// The failure of a call that must fail.
    static func failure(_ tool: String, _ input: JSONValue, sandbox: Sandbox? = ExecFixture.sandbox) async throws -> ToolFailure? {
        let root = workspaceDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let context = ToolContext(workspace: try Workspace(root: root), sandbox: sandbox, limits: try manifestLimits(of: tool))
        let handler = try #require(BuiltinToolbox.handler(named: tool))
        do {
            let output = try await handler.run(input, in: context)
            Issue.record("expected a failure, got \(output)")
            return nil
        } catch {
            return error
        }
    }

    /// Every path in a workspace directory, relative and sorted (directories included).
    static func listing(of root: URL) -> [String] {
        (FileManager.default.enumerator(atPath: root.path)?.allObjects as? [String] ?? []).sorted()
    }

    /// A one-line account of an output for failure messages.
    static func describe(_ output: JSONValue) -> String {
        output.serialized()
    }
}
