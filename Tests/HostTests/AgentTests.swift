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
        let fixture = try HostFixture()
        defer { fixture.remove() }
        try fixture.publishExample("word-count")
        try fixture.publishTestKit()
        let host = try fixture.host()
        let agent = try host.store.createAgent(name: "reader", tenant: "local", maxPrivilege: .readOnly,
                                               tools: ["acme/word-count/*", "acme/testkit/record"], approvalRequired: [], createdBy: "test")
        let result = try #require(try await host.invoke(
            ToolCall(tool: "acme/word-count", input: ["text": "a b"], caller: .localAdmin, agentID: agent.id)).result)
        #expect(result.output["words"] == 2)
        #expect(try host.traces.recent(tenant: "local", tool: nil, limit: 1).first?.agent == agent.id)

        for (tool, words) in [("acme/testkit/flaky", "not granted"), ("acme/testkit/record", "agent reader is allowed at most 1 READ_ONLY")] {
            do {
                _ = try await host.invoke(ToolCall(tool: tool, input: ["text": "x"], caller: .localAdmin, agentID: agent.id))
                Issue.record("\(tool) ran for the agent")
            } catch {
                #expect(error.code == .forbidden && error.message.contains(words), "\(tool): \(error.message)")
            }
        }
        let updated = try host.store.setAgentTools(id: agent.id, tenant: "local", tools: ["acme/testkit/*"], approvalRequired: ["acme/testkit/flaky"])
        #expect(updated.tools == ["acme/testkit/*"])
        // The agent's policy puts a level-1 tool behind an approval.
        let outcome = try await host.invoke(ToolCall(tool: "acme/testkit/flaky", input: [:], caller: .localAdmin, agentID: agent.id))
        #expect(outcome.approval?.reason.contains("policy") == true)
    }

    @Test("agents are scoped to their tenant")
    func tenantScoped() async throws {
        let fixture = try HostFixture()
        defer { fixture.remove() }
        let host = try fixture.host()
        let agent = try host.store.createAgent(name: "a", tenant: "local", maxPrivilege: .readOnly, tools: ["*"], approvalRequired: [], createdBy: "t")
        #expect(throws: ToolhostError.self) { _ = try host.store.agent(id: agent.id, tenant: "other") }
        #expect(throws: ToolhostError.self) {
            _ = try host.store.createAgent(name: "a", tenant: "local", maxPrivilege: .readOnly, tools: [], approvalRequired: [], createdBy: "t")
        }
        #expect(try host.store.agents(tenant: "other").isEmpty)
    }
}
