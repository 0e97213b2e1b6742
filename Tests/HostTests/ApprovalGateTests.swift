import BuiltinTools
import Foundation
import GRDB
import Host
import Registry
import Testing
import ToolhostCore
import Traces

@Suite("Approval gates: a risky call waits for a human, then runs exactly once")
struct ApprovalGateTests {
    static let approver = Caller(keyID: "approver", tenant: "local", maxPrivilege: .admin, scopes: [.read, .approve])

    func runs(_ host: ToolHost) -> [String] {
        let file = host.configuration.dataDirectory.appendingPathComponent("workspaces/local/keys/key-3/runs.txt")
        return ((try? String(contentsOf: file, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    @Test("a level-3 call never runs before approval, runs once after it, and cannot be approved twice")
    func approveRunsOnce() async throws {
        let fixture = try await HostFixture()
        defer { fixture.remove() }
        try await fixture.publishTestKit()
        let host = try await fixture.host()
        let outcome = try await host.invoke(ToolCall(tool: "acme/testkit/record", input: ["text": "hello"], caller: HostFixture.caller(level: .executeRisky)))
        let pending = try #require(outcome.approval)
        #expect(pending.status == .pending)
        #expect(pending.reason.contains("privilege level 3"))
        #expect(runs(host).isEmpty, "the call ran before approval")
        #expect(try await host.approvals(for: .localAdmin, status: .pending).map(\.id) == [pending.id])

        let approved = try await host.approve(pending.id, by: Self.approver, reason: "looks fine")
        #expect(approved.status == .completed)
        let result = try #require(approved.result)
        #expect(!result.isError && result.output["recorded"] == "hello")
        #expect(result.callId == pending.callId)
        #expect(runs(host) == ["hello"])

        await #expect(throws: ToolhostError.self) { _ = try await host.approve(pending.id, by: Self.approver) }
        #expect(runs(host) == ["hello"], "a second approval ran the call again")
        let stored = try await host.approval(id: pending.id, for: .localAdmin)
        #expect(stored.status == .completed && stored.decidedBy == "approver" && stored.result?.output["recorded"] == "hello")

        let audit = try await fixture.stores.registry.audit.events(tenant: "local", limit: 100).filter { $0.target == pending.id }.map(\.action)
        #expect(audit == ["approval.approved", "approval.requested"])
    }

    @Test("an approved call runs in the original call's workspace, in its trace and under its parent span")
    func approvedCallKeepsItsContext() async throws {
        let fixture = try await HostFixture()
        defer { fixture.remove() }
        try await fixture.publishTestKit()
        let host = try await fixture.host()
        let workspace = fixture.dataDirectory.appendingPathComponent("chosen-workspace")
        var call = ToolCall(tool: "acme/testkit/record", input: ["text": "here"], caller: HostFixture.caller(level: .executeRisky))
        call.workspace = workspace
        call.traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
        call.parentSpanID = "00f067aa0ba902b7"
        let pending = try #require(try await host.invoke(call).approval)
        // A restart between the call and the decision must not lose the context either.
        let restarted = try await fixture.restartedHost()
        let result = try #require(try await restarted.approve(pending.id, by: Self.approver).result)
        #expect(result.traceId == call.traceID)
        #expect(try String(contentsOf: workspace.appendingPathComponent("runs.txt"), encoding: .utf8) == "here\n")
        #expect(runs(host).isEmpty, "the run went to the key's default workspace")
        let span = try #require(try await restarted.trace(call.traceID!, for: .localAdmin).first)
        #expect(span.parentSpanID == call.parentSpanID && span.callID == pending.callId)
    }

    @Test("an agent's grant is checked again at approval: withdrawn, the approval is 403 and stays pending; restored, it runs")
    func agentGrantCheckedAtApproval() async throws {
        let fixture = try await HostFixture()
        defer { fixture.remove() }
        try await fixture.publishTestKit()
        let host = try await fixture.host()
        let agent = try await host.createAgent(name: "bot", maxPrivilege: .executeRisky, tools: ["acme/testkit/*"],
                                               approvalRequired: [], by: .localAdmin)
        let pending = try #require(try await host.invoke(ToolCall(tool: "acme/testkit/record", input: ["text": "late"],
                                                                  caller: .localAdmin, agentID: agent.id)).approval)
        _ = try await host.setAgentTools(id: agent.id, tools: ["acme/testkit/flaky"], approvalRequired: nil, by: .localAdmin)
        do {
            _ = try await host.approve(pending.id, by: Self.approver)
            Issue.record("a call the agent is no longer granted was approved and ran")
        } catch {
            #expect(error.code == .forbidden && error.message.contains("is not granted acme/testkit/record"), "\(error)")
        }
        #expect(try await host.approval(id: pending.id, for: .localAdmin).status == .pending)
        _ = try await host.setAgentTools(id: agent.id, tools: ["acme/testkit/*"], approvalRequired: nil, by: .localAdmin)
        let approved = try await host.approve(pending.id, by: Self.approver)
        #expect(approved.result?.output["recorded"] == "late")
    }

    @Test("an approved call that ran is never released to run again when a write after the run fails (fault injected)")
    func writeAfterRunFails() async throws {
        let fixture = try await HostFixture()
        defer { fixture.remove() }
        try await fixture.publishTestKit()
        let host = try await fixture.host()
        let agent = try await host.createAgent(name: "careful", maxPrivilege: .executeRisky, tools: ["acme/testkit/*"],
                                               approvalRequired: ["acme/testkit/flaky"], by: .localAdmin)
        let pending = try #require(try await host.invoke(ToolCall(tool: "acme/testkit/flaky", input: ["fail": true],
                                                                  caller: .localAdmin, agentID: agent.id)).approval)
        // The fault: the database refuses every write of circuit state, which a failed run makes.
        let database = try DatabaseQueue(path: fixture.dataDirectory.appendingPathComponent("toolhost.db").path)
        try await database.write { db in
            try db.execute(sql: """
                CREATE TRIGGER injected_insert BEFORE INSERT ON circuitBreaker BEGIN SELECT RAISE(ABORT, 'injected fault'); END;
                CREATE TRIGGER injected_update BEFORE UPDATE ON circuitBreaker BEGIN SELECT RAISE(ABORT, 'injected fault'); END;
                """)
        }
        let approved = try await host.approve(pending.id, by: Self.approver)
        #expect(approved.status == .completed && approved.result?.isError == true, "\(approved)")
        await #expect(throws: ToolhostError.self) { _ = try await host.approve(pending.id, by: Self.approver) }
        #expect(try await host.approval(id: pending.id, for: .localAdmin).status == .completed)
        try await fixture.stores.traces.flush()
        let runs = try await host.spans(for: .localAdmin, tool: "acme/testkit/flaky", limit: 10).filter { $0.callID == pending.callId }
        #expect(runs.count == 1, "the approved call ran \(runs.count) times")
    }

    @Test("an approver below the tool's level can neither let the call run nor reject it: one rule, one message shape")
    func approverLevel() async throws {
        let fixture = try await HostFixture()
        defer { fixture.remove() }
        try await fixture.publishTestKit()
        let host = try await fixture.host()
        let pending = try #require(try await host.invoke(ToolCall(tool: "acme/testkit/record", input: ["text": "x"],
                                                                  caller: HostFixture.caller(level: .executeRisky))).approval)
        let junior = Caller(keyID: "junior", tenant: "local", maxPrivilege: .executeSafe, scopes: [.approve])
        var messages: [String] = []
        do {
            _ = try await host.approve(pending.id, by: junior)
            Issue.record("a level-2 approver ran a level-3 tool")
        } catch {
            #expect(error.code == .forbidden && error.message.contains("3 EXECUTE_RISKY"), "\(error)")
            messages.append(error.message)
        }
        do {
            _ = try await host.reject(pending.id, by: junior, reason: "not mine to decide")
            Issue.record("a level-2 approver rejected a level-3 call")
        } catch {
            #expect(error.code == .forbidden && error.message.contains("3 EXECUTE_RISKY") && error.message.contains("2 EXECUTE_SAFE"), "\(error)")
            messages.append(error.message)
        }
        #expect(messages.count == 2 && messages[1].replacingOccurrences(of: "rejecting", with: "approving") == messages[0], "\(messages)")
        let stored = try await host.approval(id: pending.id, for: .localAdmin)
        #expect(stored.status == .pending && stored.decidedBy == nil)
        #expect(try await host.reject(pending.id, by: Self.approver).status == .rejected)
        #expect(runs(host).isEmpty)
    }

    @Test("two approvers racing run the call once")
    func racingApprovers() async throws {
        let fixture = try await HostFixture()
        defer { fixture.remove() }
        try await fixture.publishTestKit()
        let host = try await fixture.host()
        let pending = try #require(try await host.invoke(ToolCall(tool: "acme/testkit/record", input: ["text": "race"],
                                                                  caller: HostFixture.caller(level: .executeRisky))).approval)
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<4 {
                group.addTask { (try? await host.approve(pending.id, by: Self.approver)) != nil }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 1)
        #expect(runs(host) == ["race"])
    }

    @Test("an edited input is validated again and then used; an invalid edit leaves the approval pending")
    func editedInput() async throws {
        let fixture = try await HostFixture()
        defer { fixture.remove() }
        try await fixture.publishTestKit()
        let host = try await fixture.host()
        let pending = try #require(try await host.invoke(ToolCall(tool: "acme/testkit/record", input: ["text": "draft"],
                                                                  caller: HostFixture.caller(level: .executeRisky))).approval)
        do {
            _ = try await host.approve(pending.id, by: Self.approver, editedInput: ["text": 7])
            Issue.record("an invalid edit was accepted")
        } catch {
            #expect(error.code == .validationFailed)
        }
        #expect(try await host.approval(id: pending.id, for: .localAdmin).status == .pending)
        let approved = try await host.approve(pending.id, by: Self.approver, editedInput: ["text": "final"])
        #expect(approved.result?.output["recorded"] == "final")
        #expect(runs(host) == ["final"])
    }

    @Test("a rejected call never runs, and a key without the approve scope cannot decide")
    func reject() async throws {
        let fixture = try await HostFixture()
        defer { fixture.remove() }
        try await fixture.publishTestKit()
        let host = try await fixture.host()
        let caller = HostFixture.caller(level: .executeRisky)
        let pending = try #require(try await host.invoke(ToolCall(tool: "acme/testkit/record", input: ["text": "no"], caller: caller)).approval)
        do {
            _ = try await host.reject(pending.id, by: caller)
            Issue.record("a key without the approve scope rejected")
        } catch {
            #expect(error.code == .forbidden)
        }
        let rejected = try await host.reject(pending.id, by: Self.approver, reason: "not today")
        #expect(rejected.status == .rejected && rejected.decisionReason == "not today")
        // The caller who fetches the approval finds a failed call's answer, which says why.
        let answer = try #require(try await host.approval(id: pending.id, for: .localAdmin).result)
        #expect(answer.isError && answer.error?.type.rawValue == "approval_rejected" && answer.callId == pending.callId)
        #expect(answer.error?.message.contains("approver: not today") == true, "\(String(describing: answer.error))")
        let span = try #require(try await host.spans(for: .localAdmin, tool: "acme/testkit/record", limit: 1).first)
        #expect(span.errorType == "approval_rejected" && span.callID == pending.callId && span.privilegeLevel == 3)
        await #expect(throws: ToolhostError.self) { _ = try await host.approve(pending.id, by: Self.approver) }
        #expect(runs(host).isEmpty)
    }

    @Test("an approval not decided in time expires and cannot run")
    func expiry() async throws {
        var fixture = try await HostFixture()
        defer { fixture.remove() }
        fixture.configuration.approvalLifetime = 0.2
        try await fixture.publishTestKit()
        let host = try await fixture.host()
        let pending = try #require(try await host.invoke(ToolCall(tool: "acme/testkit/record", input: ["text": "late"],
                                                                  caller: HostFixture.caller(level: .executeRisky))).approval)
        try await Task.sleep(for: .milliseconds(300))
        let expired = try await host.approval(id: pending.id, for: .localAdmin)
        #expect(expired.status == .expired)
        #expect(expired.result?.error?.type.rawValue == "approval_expired" && expired.result?.isError == true)
        do {
            _ = try await host.approve(pending.id, by: Self.approver)
            Issue.record("an expired approval ran")
        } catch {
            #expect(error.code == .conflict && error.message.contains("expired"), "\(error)")
        }
        #expect(runs(host).isEmpty)
    }

    @Test("pending approvals survive a restart and can be approved afterwards")
    func survivesRestart() async throws {
        let fixture = try await HostFixture()
        defer { fixture.remove() }
        try await fixture.publishTestKit()
        let pending = try #require(try await fixture.host().invoke(
            ToolCall(tool: "acme/testkit/record", input: ["text": "after restart"], caller: HostFixture.caller(level: .executeRisky))).approval)

        let restarted = try await fixture.restartedHost()
        let listed = try await restarted.approvals(for: .localAdmin, status: .pending)
        #expect(listed.map(\.id) == [pending.id])
        #expect(listed.first?.input == ["text": "after restart"])
        let approved = try await restarted.approve(pending.id, by: Self.approver)
        #expect(approved.status == .completed)
        #expect(runs(restarted) == ["after restart"])
    }

    @Test("approvals are scoped to their tenant")
    func tenantScoped() async throws {
        let fixture = try await HostFixture()
        defer { fixture.remove() }
        try await fixture.publishTestKit()
        let host = try await fixture.host()
        let pending = try #require(try await host.invoke(ToolCall(tool: "acme/testkit/record", input: ["text": "mine"],
                                                                  caller: HostFixture.caller(level: .executeRisky))).approval)
        let stranger = Caller(keyID: "other", tenant: "other", maxPrivilege: .superAdmin, scopes: Set(Scope.allCases))
        #expect(try await host.approvals(for: HostFixture.caller(level: .readOnly, tenant: "other"), status: nil).isEmpty)
        do {
            _ = try await host.approve(pending.id, by: stranger)
            Issue.record("another tenant approved")
        } catch {
            #expect(error.code == .notFound)
        }
    }
}
