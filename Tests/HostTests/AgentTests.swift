import Foundation
import Host
import Registry
import Testing
import ToolhostCore
import Traces

@Suite("Agents: a tenant's callers with their own privilege and grants")
struct AgentTests {
    @Test("globs match tool names")
    func globs() {
        #expect(ToolPattern.matches("file_*", "file_read"))
        #expect(!ToolPattern.matches("file_*", "sqlite_query"))
        #expect(ToolPattern.matches("acme/*", "acme/word-count/count"))
        #expect(ToolPattern.matches("*", "anything"))
        #expect(ToolPattern.matches("hash_diges?", "hash_digest"))
        #expect(!ToolPattern.matches("hash", "hash_digest"))
    }

    @Test("an agent calls only granted tools, never above its own level, and works in its own workspace")
    func grantsAndLevels() async throws {
        let fixture = try await HostFixture()
        defer { fixture.remove() }
        try await fixture.publishExample("word-count")
        try await fixture.publishTestKit()
        let host = try await fixture.host()
        let agent = try await host.createAgent(name: "reader", maxPrivilege: .readOnly,
                                               tools: ["acme/word-count/*", "acme/testkit/record"], approvalRequired: [], by: .localAdmin)
        let result = try #require(try await host.invoke(
            ToolCall(tool: "acme/word-count", input: ["text": "a b"], caller: .localAdmin, agentID: agent.id)).result)
        #expect(result.output["words"] == 2)
        #expect(try await host.spans(for: .localAdmin, tool: nil, limit: 1).first?.agent == agent.id)

        for (tool, words) in [("acme/testkit/flaky", "not granted"), ("acme/testkit/record", "agent reader is allowed at most 1 READ_ONLY")] {
            do {
                _ = try await host.invoke(ToolCall(tool: tool, input: ["text": "x"], caller: .localAdmin, agentID: agent.id))
                Issue.record("\(tool) ran for the agent")
            } catch {
                #expect(error.code == .forbidden && error.message.contains(words), "\(tool): \(error.message)")
            }
        }
        let updated = try await host.setAgentTools(id: agent.id, tools: ["acme/testkit/*"], approvalRequired: ["acme/testkit/flaky"], by: .localAdmin)
        #expect(updated.tools == ["acme/testkit/*"])
        // The agent's policy puts a level-1 tool behind an approval.
        let outcome = try await host.invoke(ToolCall(tool: "acme/testkit/flaky", input: [:], caller: .localAdmin, agentID: agent.id))
        #expect(outcome.approval?.reason.contains("policy") == true)
    }

    @Test("agents are scoped to their tenant")
    func tenantScoped() async throws {
        let fixture = try await HostFixture()
        defer { fixture.remove() }
        let host = try await fixture.host()
        let agent = try await host.createAgent(name: "a", maxPrivilege: .readOnly, tools: ["*"], approvalRequired: [], by: .localAdmin)
        await #expect(throws: ToolhostError.self) { _ = try await host.agent(id: agent.id, for: HostFixture.caller(level: .readOnly, tenant: "other")) }
        await #expect(throws: ToolhostError.self) {
            _ = try await host.createAgent(name: "a", maxPrivilege: .readOnly, tools: [], approvalRequired: [], by: .localAdmin)
        }
        #expect(try await host.agents(for: HostFixture.caller(level: .readOnly, tenant: "other")).isEmpty)
    }
}
