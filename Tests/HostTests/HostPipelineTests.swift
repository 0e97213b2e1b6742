import BuiltinTools
import Foundation
import Host
import Registry
import Testing
import ToolhostCore
import Traces

@Suite("ToolHost.invoke: the one path of every tool call")
struct HostPipelineTests {
    @Test("a packaged python3 tool runs in the sandbox by name@range, and its span records tool, version and sandbox usage")
    func packagedToolRuns() async throws {
        let fixture = try await HostFixture()
        defer { fixture.remove() }
        try await fixture.publishExample("word-count")
        let host = try await fixture.host()
        let caller = HostFixture.caller(level: .readOnly)
        let outcome = try await host.invoke(ToolCall(tool: "acme/word-count@^1", input: ["text": "the cat and the hat"], caller: caller))
        let result = try #require(outcome.result)
        #expect(!result.isError, "\(String(describing: result.error))")
        #expect(result.output["words"] == 5)
        #expect(result.tool == "acme/word-count/count")
        #expect(result.version == "acme/word-count@1.0.0")
        #expect(result.usage.sandbox?.outcome == "ok")
        #expect(result.usage.estimatedInputTokens == (result.usage.inputBytes + 3) / 4)

        let spans = try await host.spans(for: .localAdmin, tool: nil, limit: 10)
        let span = try #require(spans.first)
        #expect(spans.count == 1)
        #expect(span.spanID == result.spanId && span.traceID == result.traceId && span.callID == result.callId)
        #expect(span.name == "execute_tool acme/word-count/count")
        #expect(span.status == .ok && span.toolVersion == "1.0.0" && span.caller == "key-1" && span.privilegeLevel == 1)
        #expect(span.sandbox?.outcome == "ok")
        #expect((span.sandbox?.peakMemoryBytes ?? 0) > 0)
        #expect(span.outputBytes == result.usage.outputBytes && span.outputBytes > 0)
    }

    @Test("invalid input is refused with validation_failed (422), listing instance path and keyword, and a span says so")
    func invalidInput() async throws {
        let fixture = try await HostFixture()
        defer { fixture.remove() }
        try await fixture.publishExample("word-count")
        let host = try await fixture.host(sandbox: nil)
        do {
            _ = try await host.invoke(ToolCall(tool: "acme/word-count", input: ["text": 42], caller: .localAdmin))
            Issue.record("invalid input was accepted")
        } catch {
            #expect(error.code == .validationFailed)
            #expect(error.code.httpStatus == 422)
            let first = try #require(error.details?["errors"]?[0])
            #expect(first["instanceLocation"] == "/text")
            #expect(first["keyword"] == "type")
        }
        let span = try #require(try await host.spans(for: .localAdmin, tool: nil, limit: 1).first)
        #expect(span.status == .error && span.errorType == "validation_failed")
    }

    @Test("a level-1 caller cannot run a level-2 tool: forbidden (403), naming both levels")
    func privilegeIsEnforced() async throws {
        let fixture = try await HostFixture()
        defer { fixture.remove() }
        let host = try await fixture.host(sandbox: nil)
        do {
            _ = try await host.invoke(ToolCall(tool: "file_write", input: ["path": "a.txt", "content": "x"], caller: HostFixture.caller(level: .readOnly)))
            Issue.record("a level-1 key ran a level-2 tool")
        } catch {
            #expect(error.code == .forbidden && error.code.httpStatus == 403)
            #expect(error.message.contains("2 EXECUTE_SAFE") && error.message.contains("1 READ_ONLY"), "\(error.message)")
        }
        #expect(!FileManager.default.fileExists(atPath: host.configuration.dataDirectory.appendingPathComponent("workspaces/local/keys/key-1/a.txt").path))
    }

    @Test("a key without the invoke scope cannot call anything")
    func invokeScope() async throws {
        let fixture = try await HostFixture()
        defer { fixture.remove() }
        let host = try await fixture.host(sandbox: nil)
        await #expect(throws: ToolhostError.self) {
            _ = try await host.invoke(ToolCall(tool: "hash_digest", input: ["algorithm": "md5", "text": ""], caller: HostFixture.caller(level: .admin, scopes: [.read])))
        }
    }

    @Test("unknown tools, versions outside the range and ambiguous packages get clear errors")
    func resolutionErrors() async throws {
        let fixture = try await HostFixture()
        defer { fixture.remove() }
        try await fixture.publishExample("word-count")
        try await fixture.publishTestKit()
        let host = try await fixture.host(sandbox: nil)
        for (tool, code, words) in [("no_such_tool", ToolhostError.Code.notFound, "no_such_tool"),
                                    ("acme/word-count@^2", .notFound, "available: 1.0.0"),
                                    ("acme/testkit", .invalidInput, "3 tools"),
                                    ("acme/word-count@not a range", .invalidInput, "not a version range")] {
            do {
                _ = try await host.invoke(ToolCall(tool: tool, input: [:], caller: .localAdmin))
                Issue.record("\(tool) resolved")
            } catch {
                #expect(error.code == code, "\(tool): \(error)")
                #expect(error.message.contains(words), "\(tool): \(error.message)")
            }
        }
    }

    @Test("output that breaks the tool's own outputSchema is a tool error, not passed on")
    func invalidOutput() async throws {
        let fixture = try await HostFixture()
        defer { fixture.remove() }
        try await fixture.publishTestKit()
        let host = try await fixture.host()
        let result = try #require(try await host.invoke(ToolCall(tool: "acme/testkit/liar", input: [:], caller: .localAdmin)).result)
        #expect(result.isError)
        #expect(result.output == .null)
        #expect(result.error?.type.rawValue == "invalid_output")
        #expect(result.error?.message.contains("/words") == true, "\(String(describing: result.error))")
    }

    @Test("a package that exits non-zero is a tool error that quotes its log")
    func failingPackage() async throws {
        let fixture = try await HostFixture()
        defer { fixture.remove() }
        try await fixture.publishTestKit()
        let host = try await fixture.host()
        let result = try #require(try await host.invoke(ToolCall(tool: "acme/testkit/flaky", input: ["fail": true], caller: .localAdmin)).result)
        #expect(result.isError)
        #expect(result.error?.type.rawValue == "tool_failed")
        #expect(result.error?.message.contains("exit 3") == true && result.error?.message.contains("failing on purpose") == true,
                "\(String(describing: result.error))")
        #expect(result.usage.sandbox?.outcome == "exit_nonzero")
    }
}
