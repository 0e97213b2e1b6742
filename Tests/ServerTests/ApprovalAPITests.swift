import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Registry
import Server
import TestSupport
import Testing
import ToolhostCore

@Suite("Approval gates over HTTP: 202, a decision, then the result")
struct ApprovalAPITests {
    @Test("a level-3 call answers 202 and does not run; approving runs it once; the approval then shows the result; a second approval is 409")
    func approveRunsOnce() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        try await fixture.publishTestKit()
        let caller = try await fixture.key(level: .executeRisky, scopes: [.read, .invoke]).secret
        let approver = try await fixture.key(level: .executeRisky, scopes: [.read, .approve]).secret
        try await fixture.withClient { client in
            let call = try await client.send(.post, "/api/v1/tools/acme/testkit/record/invoke", key: caller, json: ["input": ["text": "hello"]])
            #expect(call.status == .accepted, "\(call)")
            let approval = try #require(call.json["approval"])
            let id = try #require(approval["id"]?.stringValue)
            #expect(call.headers[.location] == "/api/v1/approvals/\(id)")
            #expect(approval["status"] == "pending" && approval["tool"] == "acme/testkit/record" && approval["input"] == ["text": "hello"])
            #expect(approval["reason"]?.stringValue?.contains("privilege level 3") == true, "\(approval)")
            #expect(approval["expiresAt"]?.stringValue != nil && approval["callId"]?.stringValue?.hasPrefix("call_") == true)
            #expect(fixture.recordedRuns().isEmpty, "the call ran before it was approved")

            let pending = try await client.send(.get, "/api/v1/approvals?status=pending", key: approver)
            #expect(pending.json["approvals"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [id], "\(pending)")
            let byCaller = try await client.send(.post, "/api/v1/approvals/\(id)/approve", key: caller, json: [:])
            #expect(byCaller.status == .forbidden && byCaller.json["error"]?["message"]?.stringValue?.contains("\"approve\" scope") == true,
                    "\(byCaller)")

            let approved = try await client.send(.post, "/api/v1/approvals/\(id)/approve", key: approver, json: ["reason": "expected"])
            #expect(approved.status == .ok, "\(approved)")
            #expect(approved.json["status"] == "completed" && approved.json["decisionReason"] == "expected")
            #expect(approved.json["result"]?["output"] == ["recorded": "hello"], "\(approved)")
            #expect(approved.json["result"]?["callId"] == approval["callId"])
            #expect(fixture.recordedRuns() == ["hello"])

            // The caller fetches the result of its gated call here.
            let shown = try await client.send(.get, "/api/v1/approvals/\(id)", key: caller)
            #expect(shown.status == .ok && shown.json["result"]?["output"]?["recorded"] == "hello", "\(shown)")
            #expect(shown.json["decidedBy"]?.stringValue?.isEmpty == false)

            let again = try await client.send(.post, "/api/v1/approvals/\(id)/approve", key: approver, json: [:])
            #expect(again.status == .conflict && again.json["error"]?["message"]?.stringValue?.contains("completed, not pending") == true,
                    "\(again)")
            #expect(fixture.recordedRuns() == ["hello"], "a second approval ran the call again")

            let completed = try await client.send(.get, "/api/v1/approvals?status=completed&limit=5", key: caller)
            #expect(completed.json["approvals"]?[0]?["id"]?.stringValue == id)
            let bogus = try await client.send(.get, "/api/v1/approvals?status=maybe", key: caller)
            #expect(bogus.status == .unprocessableContent, "\(bogus)")
        }
    }

    @Test("an approver may edit the input: an invalid edit is 422 and leaves the call pending")
    func editedInput() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        try await fixture.publishTestKit()
        let key = fixture.server.adminKey
        try await fixture.withClient { client in
            let call = try await client.send(.post, "/api/v1/tools/acme/testkit/record/invoke", key: key, json: ["input": ["text": "draft"]])
            let id = try #require(call.json["approval"]?["id"]?.stringValue)
            let invalid = try await client.send(.post, "/api/v1/approvals/\(id)/approve", key: key, json: ["input": ["text": 7]])
            #expect(invalid.status == .unprocessableContent && invalid.json["error"]?["code"] == "validation_failed", "\(invalid)")
            #expect(try await client.send(.get, "/api/v1/approvals/\(id)", key: key).json["status"] == "pending")
            let approved = try await client.send(.post, "/api/v1/approvals/\(id)/approve", key: key, json: ["input": ["text": "final"]])
            #expect(approved.json["result"]?["output"]?["recorded"] == "final" && approved.json["editedInput"] == ["text": "final"], "\(approved)")
            #expect(fixture.recordedRuns() == ["final"])
        }
    }

    @Test("a rejected call never runs and cannot be approved afterwards")
    func reject() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        try await fixture.publishTestKit()
        let key = fixture.server.adminKey
        try await fixture.withClient { client in
            let call = try await client.send(.post, "/api/v1/tools/acme/testkit/record/invoke", key: key, json: ["input": ["text": "no"]])
            let id = try #require(call.json["approval"]?["id"]?.stringValue)
            let rejected = try await client.send(.post, "/api/v1/approvals/\(id)/reject", key: key, json: ["reason": "not today"])
            #expect(rejected.status == .ok && rejected.json["status"] == "rejected" && rejected.json["decisionReason"] == "not today", "\(rejected)")
            let approve = try await client.send(.post, "/api/v1/approvals/\(id)/approve", key: key, json: [:])
            #expect(approve.status == .conflict, "\(approve)")
            let missing = try await client.send(.post, "/api/v1/approvals/apr_nothing/reject", key: key, json: [:])
            #expect(missing.status == .notFound)
        }
        #expect(fixture.recordedRuns().isEmpty)
        let audit = try await fixture.server.registry.audit.events(tenant: "local", limit: 100).map(\.action)
        #expect(audit.contains("approval.requested") && audit.contains("approval.rejected"))
    }

    @Test("a level-2 key with the approve scope can neither approve nor reject a level-3 call: 403 both times, and it stays pending")
    func deciderBelowTheToolsLevel() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        try await fixture.publishTestKit()
        let junior = try await fixture.key(level: .executeSafe, scopes: [.read, .approve]).secret
        try await fixture.withClient { client in
            let call = try await client.send(.post, "/api/v1/tools/acme/testkit/record/invoke", key: fixture.server.adminKey,
                                             json: ["input": ["text": "risky"]])
            let id = try #require(call.json["approval"]?["id"]?.stringValue)
            let approve = try await client.send(.post, "/api/v1/approvals/\(id)/approve", key: junior, json: [:])
            let reject = try await client.send(.post, "/api/v1/approvals/\(id)/reject", key: junior, json: ["reason": "no"])
            #expect(approve.status == .forbidden && reject.status == .forbidden, "\(approve) \(reject)")
            let approveMessage = approve.json["error"]?["message"]?.stringValue ?? ""
            let rejectMessage = reject.json["error"]?["message"]?.stringValue ?? ""
            #expect(rejectMessage.hasPrefix("rejecting this call of acme/testkit/record needs privilege level 3 EXECUTE_RISKY"), "\(rejectMessage)")
            #expect(rejectMessage.replacingOccurrences(of: "rejecting", with: "approving") == approveMessage, "\(approveMessage)")
            #expect(reject.json["error"]?["details"] == approve.json["error"]?["details"])
            #expect(try await client.send(.get, "/api/v1/approvals/\(id)", key: junior).json["status"] == "pending")
        }
        #expect(fixture.recordedRuns().isEmpty)
    }

    @Test("another tenant's approvals are not visible, not even by id")
    func tenantScoped() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        try await fixture.publishTestKit()
        let other = try await fixture.key(level: .admin, scopes: [.read, .approve], tenant: "other").secret
        try await fixture.withClient { client in
            let call = try await client.send(.post, "/api/v1/tools/acme/testkit/record/invoke", key: fixture.server.adminKey,
                                             json: ["input": ["text": "mine"]])
            let id = try #require(call.json["approval"]?["id"]?.stringValue)
            #expect(try await client.send(.get, "/api/v1/approvals/\(id)", key: other).status == .notFound)
            #expect(try await client.send(.post, "/api/v1/approvals/\(id)/approve", key: other, json: [:]).status == .notFound)
            #expect(try await client.send(.get, "/api/v1/approvals", key: other).json["approvals"] == [])
        }
        #expect(fixture.recordedRuns().isEmpty)
    }

    @Test("a pending approval survives kill -9 of `toolhost serve`; approved after the restart, the call runs once")
    func pendingSurvivesRestart() async throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("toolhost-approval-\(UUID().uuidString)")
        let data = base.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }

        let first = try await ServerProcess.start(dataDirectory: data)
        let admin = try first.adminKey
        let archive = try TestKit.archive()
        let id = try await first.withClient { client in
            let published = try await client.post("/api/v1/packages", headers: ServerFixture.headers(admin), body: ByteBuffer(bytes: archive))
            #expect(published.status == .created)
            let call = try await client.send(.post, "/api/v1/tools/acme/testkit/record/invoke", key: admin, json: ["input": ["text": "once"]])
            #expect(call.status == .accepted, "\(call)")
            return try #require(call.json["approval"]?["id"]?.stringValue)
        }
        first.kill9()

        // Stopped at the end; if the test fails before, the process is killed when `server` goes away.
        let server = try await ServerProcess.start(dataDirectory: data)
        try await server.withClient { client in
            let shown = try await client.send(.get, "/api/v1/approvals/\(id)", key: admin)
            #expect(shown.status == .ok && shown.json["status"] == "pending", "\(shown)")
            let approved = try await client.send(.post, "/api/v1/approvals/\(id)/approve", key: admin, json: [:])
            #expect(approved.status == .ok && approved.json["result"]?["output"]?["recorded"] == "once", "\(approved) \(server.log)")
        }
        #expect(ServerFixture.recordedRuns(in: data) == ["once"])
        await server.stop()
    }
}
