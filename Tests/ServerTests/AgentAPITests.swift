import Foundation
import HTTPTypes
import Host
import HummingbirdTesting
import Registry
import Server
import Testing
import ToolhostCore
import Traces

@Suite("Agents over HTTP: create, list, grants, calls")
struct AgentAPITests {
    @Test("an agent calls only the tools it is granted; changing its grants is an audited ADMIN action")
    func grantsAndCalls() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        try await fixture.publishExample("word-count")
        try await fixture.publishTestKit()
        let admin = fixture.server.adminKey
        // The admin scope at level 2: may create agents up to level 2, may not change grants (a level-4 action).
        let lowAdmin = try await fixture.key(level: .executeSafe, scopes: [.read, .invoke, .admin]).secret
        try await fixture.withClient { client in
            let created = try await client.send(.post, "/api/v1/agents", key: admin,
                                                json: ["name": "reader", "maxPrivilege": 1, "tools": ["acme/word-count/*"]])
            #expect(created.status == .created, "\(created)")
            let id = try #require(created.json["id"]?.stringValue)
            #expect(created.headers[.location] == "/api/v1/agents/\(id)")
            #expect(created.json["maxPrivilege"] == 1 && created.json["tools"] == ["acme/word-count/*"] && created.json["approvalRequired"] == [])

            let listed = try await client.send(.get, "/api/v1/agents", key: lowAdmin)
            #expect(listed.json["agents"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["reader"], "\(listed)")
            #expect(try await client.send(.get, "/api/v1/agents/\(id)", key: lowAdmin).json["name"] == "reader")
            #expect(try await client.send(.get, "/api/v1/agents/agt_nobody", key: lowAdmin).status == .notFound)

            let counted = try await client.send(.post, "/api/v1/agents/\(id)/invoke", key: admin,
                                                json: ["tool": "acme/word-count", "input": ["text": "one two"]])
            #expect(counted.status == .ok && counted.json["output"]?["words"] == 2, "\(counted)")
            let ungranted = try await client.send(.post, "/api/v1/agents/\(id)/invoke", key: admin,
                                                  json: ["tool": "acme/testkit/flaky", "input": [:]])
            #expect(ungranted.status == .forbidden, "\(ungranted)")
            #expect(ungranted.json["error"]?["message"]?.stringValue?.contains("agent reader is not granted acme/testkit/flaky") == true, "\(ungranted)")
            // The same through the tool's own route, naming the agent in the body.
            let viaTool = try await client.send(.post, "/api/v1/tools/acme/testkit/flaky/invoke", key: admin, json: ["input": [:], "agent": .string(id)])
            #expect(viaTool.status == .forbidden, "\(viaTool)")

            let notAdmin = try await client.send(.put, "/api/v1/agents/\(id)/tools", key: lowAdmin, json: ["tools": ["*"]])
            #expect(notAdmin.status == .forbidden, "\(notAdmin)")
            #expect(notAdmin.json["error"]?["message"]?.stringValue?.contains("needs privilege level 4 ADMIN") == true, "\(notAdmin)")
            let badPattern = try await client.send(.put, "/api/v1/agents/\(id)/tools", key: admin, json: ["tools": ["acme/*", "rm -rf"]])
            #expect(badPattern.status == .unprocessableContent && badPattern.json["error"]?["message"]?.stringValue?.contains("tools[1]") == true,
                    "\(badPattern)")
            let granted = try await client.send(.put, "/api/v1/agents/\(id)/tools", key: admin,
                                                json: ["tools": ["acme/*"], "approvalRequired": ["acme/testkit/flaky"]])
            #expect(granted.status == .ok && granted.json["tools"] == ["acme/*"], "\(granted)")
            // Granted now, but the agent's policy puts it behind an approval.
            let gated = try await client.send(.post, "/api/v1/agents/\(id)/invoke", key: admin, json: ["tool": "acme/testkit/flaky", "input": [:]])
            #expect(gated.status == .accepted && gated.json["approval"]?["agent"] == .string(id), "\(gated)")
            // Still never above the agent's own level.
            let risky = try await client.send(.post, "/api/v1/agents/\(id)/invoke", key: admin,
                                              json: ["tool": "acme/testkit/record", "input": ["text": "x"]])
            #expect(risky.status == .forbidden && risky.json["error"]?["message"]?.stringValue?.contains("agent reader is allowed at most 1") == true,
                    "\(risky)")
        }
        let audit = try await fixture.server.registry.audit.events(tenant: "local", limit: 100).map(\.action)
        #expect(audit.contains("agent.created") && audit.contains("agent.grants_changed"), "\(audit)")
        let spans = try await fixture.server.host.spans(for: .localAdmin, tool: "acme/word-count/count", limit: 5)
        #expect(spans.first?.agent?.hasPrefix("agt_") == true)
    }

    @Test("creating agents: the admin scope, at most the creator's level, valid names and patterns, unique names")
    func creationRules() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        let lowAdmin = try await fixture.key(level: .executeSafe, scopes: [.admin]).secret
        let invoker = try await fixture.key(level: .admin, scopes: [.invoke, .read]).secret
        try await fixture.withClient { client in
            let tooHigh = try await client.send(.post, "/api/v1/agents", key: lowAdmin, json: ["name": "a", "maxPrivilege": 3, "tools": []])
            #expect(tooHigh.status == .forbidden && tooHigh.json["error"]?["message"]?.stringValue?.contains("above this key's own") == true,
                    "\(tooHigh)")
            let noScope = try await client.send(.post, "/api/v1/agents", key: invoker, json: ["name": "a", "maxPrivilege": 1, "tools": []])
            #expect(noScope.status == .forbidden, "\(noScope)")
            let badLevel = try await client.send(.post, "/api/v1/agents", key: lowAdmin, json: ["name": "a", "maxPrivilege": 9, "tools": []])
            #expect(badLevel.status == .unprocessableContent, "\(badLevel)")
            let badName = try await client.send(.post, "/api/v1/agents", key: lowAdmin, json: ["name": "", "maxPrivilege": 1, "tools": []])
            #expect(badName.status == .unprocessableContent, "\(badName)")
            let missing = try await client.send(.post, "/api/v1/agents", key: lowAdmin, json: ["name": "a", "maxPrivilege": 1])
            #expect(missing.status == .unprocessableContent && missing.json["error"]?["message"]?.stringValue?.contains("tools") == true, "\(missing)")
            let first = try await client.send(.post, "/api/v1/agents", key: lowAdmin, json: ["name": "a", "maxPrivilege": 2, "tools": ["file_*"]])
            #expect(first.status == .created, "\(first)")
            let again = try await client.send(.post, "/api/v1/agents", key: lowAdmin, json: ["name": "a", "maxPrivilege": 1, "tools": []])
            #expect(again.status == .conflict, "\(again)")
        }
    }
}
