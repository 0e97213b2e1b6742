import Foundation
import HTTPTypes
import Host
import HummingbirdTesting
import Registry
import Server
import Testing
import ToolhostCore

@Suite("Circuit breakers and traces over HTTP")
struct ObservabilityAPITests {
    @Test("after repeated failures the tool's circuit opens: 503 with Retry-After, visible in GET /circuits and on the tool")
    func circuitOpens() async throws {
        let fixture = try await ServerFixture { configuration in
            configuration.breakers.failureThreshold = 2
            configuration.breakers.coolDown = 300
        }
        defer { fixture.cleanUp() }
        try await fixture.publishTestKit()
        let key = fixture.server.adminKey
        try await fixture.withClient { client in
            let uri = "/api/v1/tools/acme/testkit/flaky/invoke"
            #expect(try await client.send(.get, "/api/v1/circuits", key: key).json == ["circuits": []])
            for _ in 1...2 {
                let failed = try await client.send(.post, uri, key: key, json: ["input": ["fail": true]])
                #expect(failed.status == .ok && failed.json["isError"] == true, "\(failed)")
            }
            let refused = try await client.send(.post, uri, key: key, json: ["input": ["fail": false]])
            #expect(refused.status == .serviceUnavailable, "\(refused)")
            #expect(refused.json["error"]?["code"] == "circuit_open")
            let retryAfter = try #require(refused.headers[.retryAfter].flatMap { Int($0) }, "\(refused.headers)")
            #expect((1...300).contains(retryAfter))

            let circuits = try await client.send(.get, "/api/v1/circuits", key: key)
            let circuit = try #require(circuits.json["circuits"]?[0], "\(circuits)")
            #expect(circuit["tool"] == "acme/testkit/flaky" && circuit["state"] == "open", "\(circuit)")
            #expect(circuit["recentFailures"]?.arrayValue?.count == 2 && circuit["retryAfter"]?.stringValue != nil)
            #expect(circuit["lastError"]?.stringValue?.isEmpty == false)

            let shown = try await client.send(.get, "/api/v1/tools/acme/testkit/flaky/circuit", key: key)
            #expect(shown.status == .ok && shown.json["state"] == "open", "\(shown)")
            let healthy = try await client.send(.get, "/api/v1/tools/acme/testkit/liar/circuit", key: key)
            #expect(healthy.status == .ok && healthy.json["state"] == "closed" && healthy.json["recentFailures"] == [], "\(healthy)")
            #expect(try await client.send(.get, "/api/v1/tools/hash_digest/circuit", key: key).json["state"] == "closed")
            #expect(try await client.send(.get, "/api/v1/tools/acme/testkit/nothing/circuit", key: key).status == .notFound)
            // Another tenant's view of the same tool is its own.
            let other = try await fixture.key(level: .readOnly, scopes: [.read], tenant: "other").secret
            #expect(try await client.send(.get, "/api/v1/circuits", key: other).json == ["circuits": []])
        }
    }

    @Test("GET /traces lists the tenant's calls newest first, filtered by tool; GET /traces/{id} shows one trace")
    func traces() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        try await fixture.publishExample("word-count")
        try await fixture.publishTestKit()
        let key = fixture.server.adminKey
        try await fixture.withClient { client in
            let counted = try await client.send(.post, "/api/v1/tools/acme/word-count/count/invoke", key: key, json: ["input": ["text": "a b c"]])
            let traceId = try #require(counted.json["traceId"]?.stringValue)
            let spanId = try #require(counted.json["spanId"]?.stringValue)
            _ = try await client.send(.post, "/api/v1/tools/acme/testkit/flaky/invoke", key: key, json: ["input": ["fail": true]])
            _ = try await client.send(.post, "/api/v1/tools/acme/word-count/count/invoke", key: key, json: ["input": ["text": 1]])

            let all = try await client.send(.get, "/api/v1/traces", key: key)
            let spans = try #require(all.json["spans"]?.arrayValue, "\(all)")
            #expect(spans.map { $0["tool"]?.stringValue ?? "" } == ["acme/word-count/count", "acme/testkit/flaky", "acme/word-count/count"])
            #expect(spans.map { $0["status"]?.stringValue ?? "" } == ["error", "error", "ok"])
            #expect(spans[0]["errorType"] == "validation_failed" && spans[1]["sandbox"]?["outcome"] == "exit_nonzero")
            #expect(spans[2]["spanId"]?.stringValue == spanId && spans[2]["name"] == "execute_tool acme/word-count/count")
            #expect(spans[2]["package"] == "acme/word-count" && spans[2]["toolVersion"] == "1.0.0")

            let filtered = try await client.send(.get, "/api/v1/traces?tool=acme/word-count/count&limit=1", key: key)
            #expect(filtered.json["spans"]?.arrayValue?.count == 1 && filtered.json["spans"]?[0]?["errorType"] == "validation_failed")
            #expect(try await client.send(.get, "/api/v1/traces?limit=0", key: key).status == .unprocessableContent)

            let trace = try await client.send(.get, "/api/v1/traces/\(traceId)", key: key)
            #expect(trace.status == .ok && trace.json["traceId"] == .string(traceId), "\(trace)")
            #expect(trace.json["spans"]?.arrayValue?.map { $0["spanId"]?.stringValue } == [spanId])
            #expect(try await client.send(.get, "/api/v1/traces/\(String(repeating: "0", count: 32))", key: key).status == .notFound)

            let other = try await fixture.key(level: .readOnly, scopes: [.read], tenant: "other").secret
            #expect(try await client.send(.get, "/api/v1/traces", key: other).json == ["spans": []])
            #expect(try await client.send(.get, "/api/v1/traces/\(traceId)", key: other).status == .notFound)
        }
    }
}
