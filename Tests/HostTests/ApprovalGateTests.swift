import Foundation
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
        let fixture = try HostFixture()
        defer { fixture.remove() }
        try fixture.publishTestKit()
        let host = try fixture.host()
        let outcome = try await host.invoke(ToolCall(tool: "acme/testkit/record", input: ["text": "hello"], caller: HostFixture.caller(level: .executeRisky)))
        let pending = try #require(outcome.approval)
        #expect(pending.status == .pending)
        #expect(pending.reason.contains("privilege level 3"))
        #expect(runs(host).isEmpty, "the call ran before approval")
        #expect(try host.store.approvals(tenant: "local", status: .pending).map(\.id) == [pending.id])

        let approved = try await host.approve(pending.id, by: Self.approver, reason: "looks fine")
        #expect(approved.status == .completed)
        let result = try #require(approved.result)
        #expect(!result.isError && result.output["recorded"] == "hello")
        #expect(result.callId == pending.callId)
        #expect(runs(host) == ["hello"])

        await #expect(throws: ToolhostError.self) { _ = try await host.approve(pending.id, by: Self.approver) }
        #expect(runs(host) == ["hello"], "a second approval ran the call again")
        let stored = try host.store.approval(id: pending.id, tenant: "local")
        #expect(stored.status == .completed && stored.decidedBy == "approver" && stored.result?.output["recorded"] == "hello")

        let audit = try fixture.catalog.auditEvents(tenant: "local").filter { $0.target == pending.id }.map(\.action)
        #expect(audit == ["approval.approved", "approval.requested"])
    }

    @Test("an approver below the tool's level can neither let the call run nor reject it: one rule, one message shape")
    func approverLevel() async throws {
        let fixture = try HostFixture()
        defer { fixture.remove() }
        try fixture.publishTestKit()
        let host = try fixture.host()
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
            _ = try host.reject(pending.id, by: junior, reason: "not mine to decide")
            Issue.record("a level-2 approver rejected a level-3 call")
        } catch {
            #expect(error.code == .forbidden && error.message.contains("3 EXECUTE_RISKY") && error.message.contains("2 EXECUTE_SAFE"), "\(error)")
            messages.append(error.message)
        }
        #expect(messages.count == 2 && messages[1].replacingOccurrences(of: "rejecting", with: "approving") == messages[0], "\(messages)")
        let stored = try host.store.approval(id: pending.id, tenant: "local")
        #expect(stored.status == .pending && stored.decidedBy == nil)
        #expect(try host.reject(pending.id, by: Self.approver).status == .rejected)
        #expect(runs(host).isEmpty)
    }

    @Test("two approvers racing run the call once")
    func racingApprovers() async throws {
        let fixture = try HostFixture()
        defer { fixture.remove() }
        try fixture.publishTestKit()
        let host = try fixture.host()
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
        let fixture = try HostFixture()
        defer { fixture.remove() }
        try fixture.publishTestKit()
        let host = try fixture.host()
        let pending = try #require(try await host.invoke(ToolCall(tool: "acme/testkit/record", input: ["text": "draft"],
                                                                  caller: HostFixture.caller(level: .executeRisky))).approval)
        do {
            _ = try await host.approve(pending.id, by: Self.approver, editedInput: ["text": 7])
            Issue.record("an invalid edit was accepted")
        } catch {
            #expect(error.code == .validationFailed)
        }
        #expect(try host.store.approval(id: pending.id, tenant: "local").status == .pending)
        let approved = try await host.approve(pending.id, by: Self.approver, editedInput: ["text": "final"])
        #expect(approved.result?.output["recorded"] == "final")
        #expect(runs(host) == ["final"])
    }

    @Test("a rejected call never runs, and a key without the approve scope cannot decide")
    func reject() async throws {
        let fixture = try HostFixture()
        defer { fixture.remove() }
        try fixture.publishTestKit()
        let host = try fixture.host()
        let caller = HostFixture.caller(level: .executeRisky)
        let pending = try #require(try await host.invoke(ToolCall(tool: "acme/testkit/record", input: ["text": "no"], caller: caller)).approval)
        do {
            _ = try host.reject(pending.id, by: caller)
            Issue.record("a key without the approve scope rejected")
        } catch {
            #expect(error.code == .forbidden)
        }
        let rejected = try host.reject(pending.id, by: Self.approver, reason: "not today")
        #expect(rejected.status == .rejected && rejected.decisionReason == "not today")
        // The caller who fetches the approval finds a failed call's answer, which says why.
        let answer = try #require(try host.store.approval(id: pending.id, tenant: "local").result)
        #expect(answer.isError && answer.error?.type == "approval_rejected" && answer.callId == pending.callId)
        #expect(answer.error?.message.contains("approver: not today") == true, "\(String(describing: answer.error))")
        let span = try #require(try host.traces.recent(tenant: "local", tool: "acme/testkit/record", limit: 1).first)
        #expect(span.errorType == "approval_rejected" && span.callID == pending.callId && span.privilegeLevel == 3)
        await #expect(throws: ToolhostError.self) { _ = try await host.approve(pending.id, by: Self.approver) }
        #expect(runs(host).isEmpty)
    }

    @Test("an approval not decided in time expires and cannot run")
    func expiry() async throws {
        var fixture = try HostFixture()
        defer { fixture.remove() }
        fixture.configuration.approvalLifetime = 0.2
        try fixture.publishTestKit()
        let host = try fixture.host()
        let pending = try #require(try await host.invoke(ToolCall(tool: "acme/testkit/record", input: ["text": "late"],
                                                                  caller: HostFixture.caller(level: .executeRisky))).approval)
        try await Task.sleep(for: .milliseconds(300))
        let expired = try host.store.approval(id: pending.id, tenant: "local")
        #expect(expired.status == .expired)
        #expect(expired.result?.error?.type == "approval_expired" && expired.result?.isError == true)
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
        let fixture = try HostFixture()
        defer { fixture.remove() }
        try fixture.publishTestKit()
        let pending = try #require(try await fixture.host().invoke(
            ToolCall(tool: "acme/testkit/record", input: ["text": "after restart"], caller: HostFixture.caller(level: .executeRisky))).approval)

        let restarted = try fixture.restartedHost()
        let listed = try restarted.store.approvals(tenant: "local", status: .pending)
        #expect(listed.map(\.id) == [pending.id])
        #expect(listed.first?.input == ["text": "after restart"])
        let approved = try await restarted.approve(pending.id, by: Self.approver)
        #expect(approved.status == .completed)
        #expect(runs(restarted) == ["after restart"])
    }

    @Test("approvals are scoped to their tenant")
    func tenantScoped() async throws {
        let fixture = try HostFixture()
        defer { fixture.remove() }
        try fixture.publishTestKit()
        let host = try fixture.host()
        let pending = try #require(try await host.invoke(ToolCall(tool: "acme/testkit/record", input: ["text": "mine"],
                                                                  caller: HostFixture.caller(level: .executeRisky))).approval)
        let stranger = Caller(keyID: "other", tenant: "other", maxPrivilege: .superAdmin, scopes: Set(Scope.allCases))
        #expect(try host.store.approvals(tenant: "other", status: nil).isEmpty)
        do {
            _ = try await host.approve(pending.id, by: stranger)
            Issue.record("another tenant approved")
        } catch {
            #expect(error.code == .notFound)
        }
    }
}
