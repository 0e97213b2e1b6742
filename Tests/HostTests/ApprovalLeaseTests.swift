import BuiltinTools
import Foundation
@testable import Host
import Registry
import Testing
import ToolhostCore

/// Issue 11, point 2: a host that opens a data directory interrupts only the approved runs whose
/// runner is gone, never those of a host that still works on it.
@Suite("Running approvals belong to their runner")
struct ApprovalLeaseTests {
    func pendingCall(_ host: ToolHost, text: String) async throws -> Approval {
        try #require(try await host.invoke(ToolCall(tool: "acme/testkit/record", input: ["text": .string(text)],
                                                    caller: HostFixture.caller(level: .executeRisky))).approval)
    }

    @Test("opening the data directory again leaves a live runner's run alone; a gone runner's, or an expired lease's, is interrupted")
    func leases() async throws {
        let fixture = try await HostFixture()
        defer { fixture.remove() }
        try await fixture.publishTestKit()
        let host = try await fixture.host()
        let live = try await pendingCall(host, text: "live")
        let gone = try await pendingCall(host, text: "gone")
        let expired = try await pendingCall(host, text: "expired")
        let later = Date().addingTimeInterval(600)
        _ = try await fixture.stores.approvals.claimApproval(id: live.id, tenant: "local", by: "a", reason: nil, editedInput: nil,
                                         runner: HostInstance.identity, leaseUntil: later)
        // This machine's pid 1 did not start at tick 0: that runner is gone.
        _ = try await fixture.stores.approvals.claimApproval(id: gone.id, tenant: "local", by: "a", reason: nil, editedInput: nil,
                                         runner: "\(HostInstance.machine)/1@0", leaseUntil: later)
        _ = try await fixture.stores.approvals.claimApproval(id: expired.id, tenant: "local", by: "a", reason: nil, editedInput: nil,
                                         runner: "another-machine/42@7", leaseUntil: Date().addingTimeInterval(-1))

        let other = try await fixture.restartedHost()  // a CLI command next to the server
        #expect(try await other.approval(id: live.id, for: .localAdmin).status == .running)
        #expect(try await other.approval(id: gone.id, for: .localAdmin).status == .interrupted)
        #expect(try await other.approval(id: expired.id, for: .localAdmin).status == .interrupted)
        #expect(HostInstance.isGone(HostInstance.identity) == false)
        #expect(HostInstance.isGone("another-machine/42@7") == false, "another machine's runner is judged by its lease")
    }

    @Test("a running host's maintenance interrupts another machine's run once its lease runs out, and expires approvals past their deadline")
    func maintenance() async throws {
        var fixture = try await HostFixture()
        defer { fixture.remove() }
        fixture.configuration.approvalLifetime = 3600
        try await fixture.publishTestKit()
        let host = try await fixture.host()
        let elsewhere = try await pendingCall(host, text: "elsewhere")
        let waiting = try await pendingCall(host, text: "waiting")
        let leaseEnds = Date().addingTimeInterval(60)
        _ = try await fixture.stores.approvals.claimApproval(id: elsewhere.id, tenant: "local", by: "a", reason: nil, editedInput: nil,
                                                             runner: "another-machine/42@7", leaseUntil: leaseEnds)

        // While the lease lasts, the run is the other host's.
        var report = try await host.performMaintenance(now: Date())
        #expect(report.interrupted.isEmpty && report.expired.isEmpty, "\(report)")
        #expect(try await host.approval(id: elsewhere.id, for: .localAdmin).status == .running)

        // After it, nobody is running it any more; an hour on, the pending call has expired too.
        report = try await host.performMaintenance(now: Date().addingTimeInterval(3601))
        #expect(report.interrupted == [elsewhere.id] && report.expired == [waiting.id], "\(report)")
        #expect(try await host.approval(id: elsewhere.id, for: .localAdmin).status == .interrupted)
        let expired = try await fixture.stores.approvals.approval(id: waiting.id, tenant: "local")
        #expect(expired.status == .expired && expired.result?.error?.type == .approvalExpired)
    }
}
