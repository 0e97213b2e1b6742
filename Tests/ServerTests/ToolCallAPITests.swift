import Foundation
import HTTPTypes
import Host
import HummingbirdTesting
import Registry
import Server
import Testing
import ToolhostCore
import Traces

@Suite("Tool calls over HTTP: POST /api/v1/tools/{name}/invoke")
struct ToolCallAPITests {
    @Test("a packaged tool runs in the sandbox over HTTP, named by its tool, its package, a range or one encoded segment")
    func packagedToolRuns() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        try await fixture.publishExample("word-count")
        let key = try await fixture.key(level: .readOnly, scopes: [.invoke]).secret
        try await fixture.withClient { client in
            let input: JSONValue = ["input": ["text": "the cat and the dog", "topN": 1]]
            let answer = try await client.send(.post, "/api/v1/tools/acme/word-count/count/invoke", key: key, json: input)
            #expect(answer.status == .ok, "\(answer)")
            #expect(answer.json["isError"] == false)
            #expect(answer.json["output"]?["words"] == 5)
            #expect(answer.json["output"]?["topWords"] == [["word": "the", "count": 2]])
            #expect(answer.json["tool"] == "acme/word-count/count")
            #expect(answer.json["version"] == "acme/word-count@1.0.0")
            #expect(answer.json["callId"]?.stringValue?.hasPrefix("call_") == true)
            #expect(answer.json["traceId"]?.stringValue?.count == 32)
            #expect(answer.json["usage"]?["sandbox"]?["outcome"] == "ok")

            for uri in ["/api/v1/tools/acme/word-count/invoke", "/api/v1/tools/acme/word-count/count%40%5E1/invoke",
                        "/api/v1/tools/acme/word-count%40%5E1.0/invoke", "/api/v1/tools/acme%2Fword-count%2Fcount%401.0.0/invoke"] {
                let other = try await client.send(.post, uri, key: key, json: input)
                #expect(other.status == .ok && other.json["output"]?["words"] == 5, "\(uri): \(other)")
            }
            let missing = try await client.send(.post, "/api/v1/tools/acme/word-count/count%40%5E2/invoke", key: key, json: input)
            #expect(missing.status == .notFound, "\(missing)")
            #expect(missing.json["error"]?["message"]?.stringValue?.contains("no version of acme/word-count matches ^2") == true, "\(missing)")
        }
    }

    @Test("input that breaks the tool's schema is 422 with every schema error listed; malformed bodies are 422 naming the problem")
    func invalidInput() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        try await fixture.publishExample("word-count")
        let key = fixture.server.adminKey
        try await fixture.withClient { client in
            let uri = "/api/v1/tools/acme/word-count/count/invoke"
            let invalid = try await client.send(.post, uri, key: key, json: ["input": ["text": 5, "topN": 1000]])
            #expect(invalid.status == .unprocessableContent, "\(invalid)")
            #expect(invalid.json["error"]?["code"] == "validation_failed")
            let errors = invalid.json["error"]?["details"]?["errors"]?.arrayValue ?? []
            #expect(Set(errors.compactMap { $0["instanceLocation"]?.stringValue }) == ["/text", "/topN"], "\(errors)")
            #expect(errors.allSatisfy { $0["keyword"] != nil && $0["message"] != nil })

            let malformed = try await client.send(.post, uri, key: key, raw: #"{"input": {"text": "a"#)
            #expect(malformed.status == .unprocessableContent && malformed.json["error"]?["code"] == "invalid_input", "\(malformed)")
            #expect(malformed.json["error"]?["message"]?.stringValue?.contains("not valid JSON") == true, "\(malformed)")
            let noInput = try await client.send(.post, uri, key: key, json: ["inputs": ["text": "a"]])
            #expect(noInput.status == .unprocessableContent, "\(noInput)")
            #expect(noInput.json["error"]?["message"] == "request body: input: required field missing", "\(noInput)")
            let badRange = try await client.send(.post, "/api/v1/tools/acme/word-count/count%40banana/invoke", key: key, json: ["input": [:]])
            #expect(badRange.status == .unprocessableContent && badRange.json["error"]?["message"]?.stringValue?.contains("version range") == true,
                    "\(badRange)")

            let huge = String(repeating: "a", count: 17 << 20)
            let tooLarge = try await client.send(.post, uri, key: key, raw: #"{"input": {"text": "\#(huge)"}}"#)
            #expect(tooLarge.status == .contentTooLarge && tooLarge.json["error"]?["code"] == "payload_too_large", "\(tooLarge.status)")
        }
        // A refused call leaves a span with its reason.
        let spans = try await fixture.server.host.spans(for: .localAdmin, tool: "acme/word-count/count", limit: 10)
        #expect(spans.contains { $0.errorType == "validation_failed" })
    }

    @Test("a key is refused a tool above its level (403 naming both levels), and calls need the invoke scope")
    func privilegeAndScope() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        let readOnly = try await fixture.key(level: .readOnly, scopes: [.read, .invoke]).secret
        let reader = try await fixture.key(level: .executeSafe, scopes: [.read]).secret
        try await fixture.withClient { client in
            // file_write is level 2: refused before its input is even looked at, and before any handler is needed.
            let body: JSONValue = ["input": ["path": "notes.txt", "content": "hello"]]
            let refused = try await client.send(.post, "/api/v1/tools/file_write/invoke", key: readOnly, json: body)
            #expect(refused.status == .forbidden, "\(refused)")
            #expect(refused.json["error"]?["code"] == "forbidden")
            #expect(refused.json["error"]?["message"]?.stringValue?.contains("file_write needs privilege level 2 EXECUTE_SAFE") == true, "\(refused)")
            #expect(refused.json["error"]?["details"] == ["required": 2, "allowed": 1])

            let noScope = try await client.send(.post, "/api/v1/tools/file_write/invoke", key: reader, json: body)
            #expect(noScope.status == .forbidden && noScope.json["error"]?["message"]?.stringValue?.contains("\"invoke\" scope") == true,
                    "\(noScope)")
            let unknown = try await client.send(.post, "/api/v1/tools/no_such_tool/invoke", key: readOnly, json: ["input": [:]])
            #expect(unknown.status == .notFound, "\(unknown)")
            let anonymous = try await client.send(.post, "/api/v1/tools/file_write/invoke", key: nil, json: body)
            #expect(anonymous.status == .unauthorized)
        }
    }

    @Test("a tool that fails answers 200 with isError and the tool's error, not an HTTP error")
    func toolFailureIsAResult() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        try await fixture.publishTestKit()
        try await fixture.withClient { client in
            let failed = try await client.send(.post, "/api/v1/tools/acme/testkit/flaky/invoke", key: fixture.server.adminKey,
                                               json: ["input": ["fail": true]])
            #expect(failed.status == .ok, "\(failed)")
            #expect(failed.json["isError"] == true && failed.json["output"] == .null)
            #expect(failed.json["error"]?["type"]?.stringValue?.isEmpty == false, "\(failed)")
            #expect(failed.json["usage"]?["sandbox"]?["outcome"] == "exit_nonzero", "\(failed)")
        }
    }
}
