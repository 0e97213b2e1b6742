import BuiltinTools
import Foundation
import TestSupport
import Sandbox
import ToolhostCore

/// Runs a built-in tool's manifest examples against its real handler, as Tools/README.md describes:
/// a fresh workspace with the tool's fixtures, `{{fixture_url}}` replaced, the input checked against
/// the input schema, the output against the output schema, then compared (`exact` or `subset`).
///
/// Until the Host pipeline exists this calls the handler directly; the schema checks stand in for
/// the ones the host makes on every call.
///
/// A tool that declares network egress gets the README's test setup: a ``FixtureServer`` for its
/// fixtures as `{{fixture_url}}` and as the search endpoint, loopback allowed, the fixture server
/// added to the egress; one that declares `${SMTP_HOST}` also gets an ``SMTPPeer`` as its SMTP server.
struct ExampleHarness {
    var configuration = BuiltinConfiguration()
    var fixtureURL = "http://127.0.0.1:9"
    var sandbox: Sandbox?

    static var toolsDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Tools")
    }

    /// Runs every example of `toolName` and returns one line per example that did not hold.
    func failures(of toolName: String) async throws -> [String] {
        let folder = Self.toolsDirectory.appendingPathComponent(toolName)
        let loaded = try ManifestLoader.load(contentsOf: folder.appendingPathComponent("toolhost.json"))
        let tool = loaded.manifest.tools[0]
        guard let handler = BuiltinToolbox.handler(named: toolName) else { return ["\(toolName): no handler"] }
        let egress = tool.permissions?.network?.egress ?? []
        guard !egress.isEmpty else { return try await failures(of: toolName, tool: tool, folder: folder, handler: handler) }
        return try await FixtureServer.serving(toolName) { server in
            var harness = self
            harness.fixtureURL = server.url
            harness.configuration.network.allowLoopback = true
            harness.configuration.network.additionalEgress.append("127.0.0.1:\(server.port)")
            harness.configuration.searchEndpoint = URL(string: server.url)
            guard egress.contains("${SMTP_HOST}") else {
                return try await harness.failures(of: toolName, tool: tool, folder: folder, handler: handler)
            }
            return try await SMTPPeer.running { peer in
                harness.configuration.smtp = SMTPSettings(host: "127.0.0.1", port: peer.port, username: "toolhost",
                                                          sender: "toolhost@example.test", security: .none)
                return try await harness.failures(of: toolName, tool: tool, folder: folder, handler: handler)
            }
        }
    }

    private func failures(of toolName: String, tool: ToolDefinition, folder: URL, handler: any BuiltinTool) async throws -> [String] {
        let inputSchema = try JSONSchema(tool.inputSchema)
        let outputSchema = try JSONSchema(tool.outputSchema)
        var failures: [String] = []
        for written in tool.examples ?? [] {
            let example = written.resolvingPlaceholders(fixtureURL: fixtureURL)
            let label = "\(toolName) example \"\(example.name)\""
            let workspaceURL = FileManager.default.temporaryDirectory.appendingPathComponent("toolhost-example-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: workspaceURL) }
            try FileManager.default.createDirectory(at: workspaceURL, withIntermediateDirectories: true)
            let fixtures = folder.appendingPathComponent("fixtures")
            if FileManager.default.fileExists(atPath: fixtures.path) {
                for name in try FileManager.default.contentsOfDirectory(atPath: fixtures.path) {
                    try FileManager.default.copyItem(at: fixtures.appendingPathComponent(name), to: workspaceURL.appendingPathComponent(name))
                }
            }
            let inputCheck = inputSchema.validate(example.input)
            guard inputCheck.isValid else {
                failures.append("\(label): input breaks the input schema: \(inputCheck.errors)")
                continue
            }
            let context = ToolContext(
                workspace: try Workspace(root: workspaceURL), configuration: configuration,
                secrets: example.secrets ?? [:], sandbox: sandbox, limits: tool.limits ?? ToolLimits())
            let output: JSONValue
            do {
                output = try await handler.run(example.input, in: context)
            } catch {
                failures.append("\(label): failed: \(error)")
                continue
            }
            let outputCheck = outputSchema.validate(output)
            if !outputCheck.isValid {
                failures.append("\(label): output breaks the output schema: \(outputCheck.errors)\n  output: \(output)")
            }
            if !example.isSatisfied(by: output) {
                failures.append("\(label): output differs\n  expected: \(example.output)\n  actual:   \(output)")
            }
        }
        return failures
    }
}
