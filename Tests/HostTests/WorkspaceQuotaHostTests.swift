import BuiltinTools
import Foundation
import Host
import Registry
import Sandbox
import Testing
import ToolhostCore
import Traces

@Suite("The host holds every workspace to its configured quota")
struct WorkspaceQuotaHostTests {
    @Test("file_write and python_exec past the quota fail with workspace_quota in the result and the span, and never open a circuit")
    func configuredQuota() async throws {
        var fixture = try await HostFixture()
        defer { fixture.remove() }
        fixture.configuration.workspaceQuota = WorkspaceQuota(bytes: 100_000, entries: 50)
        fixture.configuration.breakers.failureThreshold = 2
        let host = try await fixture.host()
        for attempt in 1...3 {
            let result = try #require(try await host.invoke(ToolCall(
                tool: "file_write", input: ["path": "big.txt", "content": .string(String(repeating: "x", count: 200_000))], caller: .localAdmin)).result)
            #expect(result.error?.type.rawValue == "workspace_quota", "attempt \(attempt): \(result)")
            #expect(result.error?.message.contains("over its quota of 100000 bytes") == true, "\(result.error?.message ?? "")")
        }
        #expect(try await host.circuit(of: "file_write", for: .localAdmin).state == .closed)
        let span = try #require(try await host.spans(for: .localAdmin, tool: "file_write", limit: 1).first)
        #expect(span.status == .error && span.errorType == "workspace_quota")

        let run = try #require(try await host.invoke(ToolCall(
            tool: "python_exec", input: ["code": "open('big', 'wb').write(b'x' * 300_000)"], caller: .localAdmin)).result)
        #expect(run.output["outcome"] == "workspace_quota", "\(run)")
        // python_exec filled the workspace up to the byte: one more byte does not fit, until files are removed.
        let full = try #require(try await host.invoke(ToolCall(
            tool: "file_write", input: ["path": "small.txt", "content": "ok"], caller: .localAdmin)).result)
        #expect(full.error?.type.rawValue == "workspace_quota", "\(full)")
        let cleanup = try #require(try await host.invoke(ToolCall(tool: "shell_exec", input: ["script": "rm big"], caller: .localAdmin)).result)
        #expect(cleanup.output["outcome"] == "ok", "\(cleanup)")
        let fits = try #require(try await host.invoke(ToolCall(
            tool: "file_write", input: ["path": "small.txt", "content": "ok"], caller: .localAdmin)).result)
        #expect(!fits.isError, "\(fits)")
    }
}
