import BuiltinTools
import Foundation
import Host
import Registry
import Sandbox
import Testing
import ToolhostCore

/// Every example of every built-in manifest, run the way a user runs it: through `ToolHost.invoke`
/// (resolve, authorize, validate input, approval gate — approved here —, breaker, handler, validate
/// output, span), each in a fresh workspace holding the tool's fixtures (Tools/README.md).
@Suite("The built-ins' manifest examples, through ToolHost.invoke")
struct BuiltinExamplesTests {
    static let approver = Caller(keyID: "approver", tenant: "local", maxPrivilege: .superAdmin, scopes: [.approve])

    static var toolNames: [String] {
        (try? BuiltinManifests.load(from: HostFixture.repository.appendingPathComponent("Tools")).map { $0.manifest.tools[0].name }) ?? []
    }

    @Test("every built-in tool has a handler")
    func everyToolHasAHandler() {
        #expect(Self.toolNames.count == 24)
        #expect(Self.toolNames.filter { BuiltinToolbox.handler(named: $0) == nil } == [])
        #expect(Set(BuiltinToolbox.handlers.map(\.name)).subtracting(Self.toolNames).isEmpty)
    }

    @Test("each example gives its expected output", arguments: toolNames)
    func examples(of name: String) async throws {
        var fixture = try HostFixture()
        defer { fixture.remove() }
        let peers = try await ExamplePeers.shared(for: name)
        fixture.configuration.builtins = peers.configuration
        let host = try fixture.host()
        let folder = HostFixture.repository.appendingPathComponent("Tools/\(name)")
        let tool = try ManifestLoader.load(contentsOf: folder.appendingPathComponent("toolhost.json")).manifest.tools[0]
        for written in tool.examples ?? [] {
            let example = written.resolvingPlaceholders(fixtureURL: peers.fixtureURL)
            let workspace = fixture.dataDirectory.appendingPathComponent("example-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
            let fixtures = folder.appendingPathComponent("fixtures")
            for item in (try? FileManager.default.contentsOfDirectory(atPath: fixtures.path)) ?? [] {
                try FileManager.default.copyItem(at: fixtures.appendingPathComponent(item), to: workspace.appendingPathComponent(item))
            }
            var call = ToolCall(tool: name, input: example.input, caller: .localAdmin)
            call.workspace = workspace
            call.secrets = example.secrets ?? [:]
            var result: ToolCallResult
            switch try await host.invoke(call) {
            case .completed(let completed):
                #expect(!tool.privilegeLevel.requiresApproval, "\(name) ran without approval")
                result = completed
            case .pendingApproval(let approval):
                #expect(tool.privilegeLevel.requiresApproval)
                result = try #require(try await host.approve(approval.id, by: Self.approver).result)
            }
            #expect(!result.isError, "\(name) example \(example.name): \(String(describing: result.error))")
            let matches = (example.match ?? .exact) == .exact ? result.output == example.output : Self.isSubset(example.output, of: result.output)
            #expect(matches, "\(name) example \(example.name)\n  expected: \(example.output)\n  actual:   \(result.output)")
        }
        await host.sandbox?.quiesce()
    }

    /// `subset(e, a)` of Tools/README.md: objects recursively by key, everything else exactly.
    static func isSubset(_ expected: JSONValue, of actual: JSONValue) -> Bool {
        guard case .object(let expectedObject) = expected, case .object(let actualObject) = actual else { return expected == actual }
        return expectedObject.allSatisfy { key, value in actualObject[key].map { isSubset(value, of: $0) } ?? false }
    }
}

/// The peers the examples talk to (Tools/README.md, "It configures the host for the test").
struct ExamplePeers: Sendable {
    var configuration = BuiltinConfiguration()
    var fixtureURL = "http://127.0.0.1:9"

    static func shared(for tool: String) async throws -> ExamplePeers {
        ExamplePeers()
    }
}
