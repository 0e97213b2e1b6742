import Foundation
import TestSupport
import Testing
import ToolhostCore

/// `toolhost call`, `approvals` and `traces`, run as the real binary: in process on a data directory,
/// and against a real server with --server.
@Suite("toolhost call, approvals and traces", .serialized)
struct CallCommandTests {
    @Test("a built-in runs in process; bad input exits 1 naming the field; the calls show in `traces list`")
    func callLocally() async throws {
        let cli = try CLIRunner()
        defer { cli.removeAll() }
        let hashed = try await cli.run(["call", "hash_digest", "--input", #"{"algorithm": "sha256", "text": "abc"}"#])
        #expect(hashed.exitCode == 0, "\(hashed.stderr)")
        #expect(try hashed.json()["digest"] == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")

        let python = try await cli.run(["call", "python_exec", "--input", "@-", "--json"], stdin: #"{"code": "print(sum(range(10)))"}"#)
        #expect(python.exitCode == 0, "\(python.stderr)")
        let result = try python.json()
        #expect(result["output"]?["stdout"] == "45\n" && result["isError"] == false)
        #expect(result["usage"]?["sandbox"]?["outcome"] == "ok")

        let invalid = try await cli.run(["call", "hash_digest", "--input", #"{"algorithm": "sha3"}"#])
        #expect(invalid.exitCode == 1)
        #expect(invalid.stderr.contains("/algorithm"), "\(invalid.stderr)")
        let unknown = try await cli.run(["call", "no_such_tool"])
        #expect(unknown.exitCode == 3)
        let malformed = try await cli.run(["call", "hash_digest", "--input", "{nope"])
        #expect(malformed.exitCode == 1 && malformed.stderr.contains("--input"), "\(malformed.stderr)")

        let toolError = try await cli.run(["call", "regex", "--input", #"{"pattern": "(unclosed", "text": "a"}"#])
        #expect(toolError.exitCode == 9, "\(toolError.stderr)")
        #expect(toolError.stderr.contains("invalid_argument"), "\(toolError.stderr)")

        let traces = try await cli.run(["traces", "list", "--json"])
        #expect(traces.exitCode == 0, "\(traces.stderr)")
        let spans = try #require(try traces.json().arrayValue)
        // hash_digest, python_exec, the invalid input and regex; an unknown tool or malformed JSON never reaches a tool.
        #expect(spans.count == 4)
        #expect(spans.first?["tool"] == "regex" && spans.first?["errorType"] == "invalid_argument")
        let tools = spans.map { $0["tool"]?.stringValue ?? "" }
        #expect(tools.contains("python_exec"))
        #expect(spans.first { $0["tool"] == "python_exec" }?["sandbox"]?["outcome"] == "ok")
    }

    @Test("with the data directory under a 0700 parent (as `mktemp -d` makes), sandboxed built-ins and packaged tools run")
    func privateParent() async throws {
        let cli = try CLIRunner()
        defer { cli.removeAll() }
        let parent = cli.dataDirectory.deletingLastPathComponent()
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: parent.path)
        for (tool, input) in [("python_exec", #"{"code": "print(6 * 7)"}"#), ("shell_exec", #"{"script": "echo $((6 * 7))"}"#)] {
            let result = try await cli.run(["call", tool, "--input", input, "--json"])
            #expect(result.exitCode == 0, "\(tool): \(result.stdout) \(result.stderr)")
            #expect(try result.json()["output"]?["stdout"] == "42\n", "\(tool): \(result.stdout)")
        }
        let package = try Fixture.copyExample("word-count", into: cli)
        try await ServerProcess.with(cli) { server in
            let key = try server.adminKey
            let published = try await cli.run(["publish", package.path, "--server", server.url, "--key", key])
            #expect(published.exitCode == 0, "\(published.stderr)")
            let input = #"{"text": "one two two"}"#
            for place in [["--server", server.url, "--key", key], []] {
                let counted = try await cli.run(["call", "acme/word-count/count", "--input", input, "--json"] + place)
                #expect(counted.exitCode == 0, "\(place): \(counted.stdout) \(counted.stderr)")
                #expect(try counted.json()["output"]?["words"] == 3, "\(place): \(counted.stdout)")
            }
        }
    }

    @Test("a level-3 call waits (exit 11) until `approvals approve`, which runs it once; `reject` ends another")
    func approvalsLocally() async throws {
        let cli = try CLIRunner()
        defer { cli.removeAll() }
        let input = #"{"to": ["ada@example.test"], "subject": "hello", "text": "hi"}"#
        let gated = try await cli.run(["call", "email_send", "--input", input, "--json"])
        #expect(gated.exitCode == 11, "\(gated.stderr)")
        let id = try #require(try gated.json()["approval"]?["id"]?.stringValue)

        let listed = try await cli.run(["approvals", "list", "--json"])
        #expect(try listed.json().arrayValue?.map { $0["id"] } == [.string(id)])

        let rejected = try await cli.run(["approvals", "reject", id, "--reason", "not now"])
        #expect(rejected.exitCode == 0, "\(rejected.stderr)")
        let shown = try await cli.run(["approvals", "show", id])
        #expect(try shown.json()["status"] == "rejected")
        #expect(try shown.json()["result"]?["error"]?["type"] == "approval_rejected")
        let again = try await cli.run(["approvals", "approve", id])
        #expect(again.exitCode == 4, "\(again.stderr)")
        #expect(try await cli.run(["approvals", "list", "--json"]).json().arrayValue?.isEmpty == true)
    }

    @Test("with --server, a packaged tool runs on the server and its span is listed there")
    func callRemotely() async throws {
        let cli = try CLIRunner()
        defer { cli.removeAll() }
        try await ServerProcess.with(cli) { server in
            let package = try Fixture.copyExample("word-count", into: cli)
            let published = try await cli.run(["publish", package.path, "--server", server.url])
            #expect(published.exitCode == 0, "\(published.stderr)")
            let called = try await cli.run(["call", "acme/word-count@^1", "--server", server.url, "--input", #"{"text": "one two three"}"#, "--json"])
            #expect(called.exitCode == 0, "\(called.stderr)")
            #expect(try called.json()["output"]?["words"] == 3)
            #expect(try called.json()["tool"] == "acme/word-count/count")

            let gated = try await cli.run(["call", "slack_post", "--server", server.url, "--input", #"{"text": "deployed"}"#])
            #expect(gated.exitCode == 11, "\(gated.stderr)")
            let pending = try await cli.run(["approvals", "list", "--server", server.url, "--json"])
            #expect(try pending.json().arrayValue?.count == 1)

            let traces = try await cli.run(["traces", "list", "--server", server.url, "--json"])
            #expect(try traces.json().arrayValue?.first?["tool"] == "acme/word-count/count", "\(traces.stdout)")
        }
    }
}
