import BuiltinTools
import Foundation
import Host
import Registry
import Sandbox
import TestSupport
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
        try await ExamplePeers.with(for: name) { peers in try await runExamples(of: name, peers: peers) }
    }

    func runExamples(of name: String, peers: ExamplePeers) async throws {
        var fixture = try await HostFixture()
        defer { fixture.remove() }
        fixture.configuration.builtins = peers.configuration
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
            // The example's secrets are the host's: an approved call runs with the host's secrets,
            // never with values a caller sent along (those are not stored with the approval).
            fixture.configuration.secrets = example.secrets ?? [:]
            let host = try await fixture.host()
            var call = ToolCall(tool: name, input: example.input, caller: .localAdmin)
            call.workspace = workspace
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
            #expect(example.isSatisfied(by: result.output), "\(name) example \(example.name)\n  expected: \(example.output)\n  actual:   \(result.output)")
            await host.sandbox?.quiesce()
        }
    }
}

/// The peers the examples talk to (Tools/README.md, "It configures the host for the test"): for a
/// tool that declares egress, a loopback fixture server (also the search endpoint, allowed past the
/// loopback guard and the egress check), and for `${SMTP_HOST}` a real aiosmtpd server.
struct ExamplePeers: Sendable {
    var configuration = BuiltinConfiguration()
    var fixtureURL = "http://127.0.0.1:9"

    static func with(for tool: String, _ body: (ExamplePeers) async throws -> Void) async throws {
        let manifest = try ManifestLoader.load(contentsOf: FixtureServer.toolsDirectory.appendingPathComponent("\(tool)/toolhost.json"))
        let egress = manifest.manifest.tools[0].permissions?.network?.egress ?? []
        guard !egress.isEmpty else { return try await body(ExamplePeers()) }
        try await FixtureServer.serving(tool) { server in
            var peers = ExamplePeers()
            peers.fixtureURL = server.url
            peers.configuration.network.allowLoopback = true
            peers.configuration.network.additionalEgress.append("127.0.0.1:\(server.port)")
            peers.configuration.searchEndpoint = URL(string: server.url)
            guard egress.contains("${SMTP_HOST}") else { return try await body(peers) }
            try await SMTPPeer.running { smtp in
                peers.configuration.smtp = SMTPSettings(host: "127.0.0.1", port: smtp.port, username: "toolhost",
                                                        sender: "toolhost@example.test", security: .none)
                try await body(peers)
            }
        }
    }
}
