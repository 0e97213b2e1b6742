@testable import BuiltinTools
import Foundation
import TestSupport
import HTTPTypes
import Testing
import ToolhostCore

@Suite("slack_post posts to the webhook in its secret")
struct SlackPostTests {
    let tool = SlackPostTool()

    @Test("every manifest example holds")
    func examples() async throws {
        let failures = try await ExampleHarness().failures(of: "slack_post")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    /// A context whose egress includes the fixture server, as the harness sets it up.
    func context(_ server: FixtureServer, webhook: String) throws -> ToolContext {
        try NetworkTest.loopbackContext(secrets: ["SLACK_WEBHOOK_URL": server.url + webhook], timeoutMs: 30000) {
            $0.network.additionalEgress = ["127.0.0.1:\(server.port)"]
        }
    }

    @Test("the payload uses Slack's field names and is posted as JSON")
    func payload() async throws {
        try await FixtureServer.serving("slack_post") { server in
            let output = try await tool.run([
                "text": "Deploy finished", "blocks": [["type": "divider"]], "username": "deploy-bot", "iconEmoji": ":rocket:",
                "threadTs": "1700000000.000100", "unfurlLinks": true,
            ], in: try context(server, webhook: "/services/T000/B000/XXXX"))
            #expect(output == ["ok": true, "status": 200, "response": "ok"])
            let recorded = try #require(server.recorded.first)
            #expect(recorded.method == "POST" && recorded.target == "/services/T000/B000/XXXX")
            #expect(recorded.headers[.contentType] == "application/json; charset=utf-8")
            #expect(try JSONValue(parsing: recorded.body) == [
                "text": "Deploy finished", "blocks": [["type": "divider"]], "username": "deploy-bot", "icon_emoji": ":rocket:",
                "thread_ts": "1700000000.000100", "unfurl_links": true,
            ])
        }
    }

    @Test("a 4xx from Slack is a result with ok false and Slack's error code")
    func refusedMessage() async throws {
        try await FixtureServer.serving("slack_post") { server in
            let output = try await tool.run(["text": "hi"], in: try context(server, webhook: "/__test/respond?status=404&body=channel_not_found"))
            #expect(output == ["ok": false, "status": 404, "response": "channel_not_found"])
        }
    }

    @Test("a 5xx from Slack fails with upstream_error naming the status")
    func serverError() async throws {
        try await FixtureServer.serving("slack_post") { server in
            await NetworkTest.expectFailure(of: tool, ["text": "hi"], in: try context(server, webhook: "/__test/status/503/hook"),
                                            kind: .upstream, mentioning: ["503"])
        }
    }

    @Test("a webhook outside hooks.slack.com:443 is refused by the egress check without revealing the secret path")
    func egressChecked() async throws {
        try await FixtureServer.serving("slack_post") { server in
            let context = try NetworkTest.loopbackContext(secrets: ["SLACK_WEBHOOK_URL": server.url + "/services/T000/B000/SECRET"])
            guard let failure = await NetworkTest.failure(of: tool, ["text": "hi"], in: context) else { return }
            #expect(failure.kind == .denied)
            #expect(failure.message.contains("hooks.slack.com:443") && failure.message.contains("SLACK_WEBHOOK_URL"), "\(failure)")
            #expect(!failure.message.contains("SECRET"), "\(failure)")
            #expect(server.recorded.isEmpty)
        }
    }

    @Test("the handler's egress is the manifest's")
    func egressMatchesManifest() throws {
        let loaded = try ManifestLoader.load(contentsOf: ExampleHarness.toolsDirectory.appendingPathComponent("slack_post/toolhost.json"))
        #expect(loaded.manifest.tools[0].permissions?.network?.egress == SlackPostTool.egress)
    }

    @Test("a missing secret, no text or blocks, and both icons are refused naming the field")
    func badInput() async throws {
        await NetworkTest.expectFailure(of: tool, ["text": "hi"], in: try NetworkTest.context(), kind: .notConfigured,
                                        mentioning: ["SLACK_WEBHOOK_URL"])
        let context = try NetworkTest.context(secrets: ["SLACK_WEBHOOK_URL": "https://hooks.slack.com/services/x"])
        await NetworkTest.expectFailure(of: tool, ["username": "bot"], in: context, kind: .invalidArgument, mentioning: ["text", "blocks"])
        await NetworkTest.expectFailure(of: tool, ["text": "hi", "iconEmoji": ":x:", "iconUrl": "https://example.com/i.png"], in: context,
                                        kind: .invalidArgument, mentioning: ["iconEmoji", "iconUrl"])
        await NetworkTest.expectFailure(of: tool, ["blocks": [["text": "no type"]]], in: context, kind: .invalidArgument,
                                        mentioning: ["blocks[0]", "type"])
    }
}
