import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TestSupport
import Testing
import ToolhostCore

/// Issue 11, point 2, with real processes: a server and CLI commands on one data directory.
@Suite("A server and CLI commands on the same data directory")
struct SharedDataDirectoryTests {
    /// A JSON request to the server, as a client would send it.
    static func request(_ method: String, _ url: String, key: String, json: JSONValue? = nil) async throws -> JSONValue {
        var request = URLRequest(url: URL(string: url)!, timeoutInterval: 60)
        request.httpMethod = method
        request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        if let json {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(json.serialized().utf8)
        }
        let (data, _) = try await URLSession.shared.data(for: request)
        return try JSONValue(parsing: data)
    }

    @Test("a CLI command that opens the server's data directory leaves the server's approved call running to completion")
    func cliLeavesServerRunsAlone() async throws {
        let cli = try CLIRunner()
        defer { cli.removeAll() }
        try await ServerProcess.with(cli) { server in
            let key = try server.adminKey
            let url = server.url
            let agent = try await Self.request("POST", "\(url)/api/v1/agents", key: key, json: [
                "name": "careful", "maxPrivilege": 2, "tools": ["python_exec"], "approvalRequired": ["python_exec"],
            ])
            let agentID = try #require(agent["id"]?.stringValue, "\(agent)")
            let input = #"{"code": "import time\ntime.sleep(3)\nprint('done')\n"}"#
            let called = try await cli.run(["call", "python_exec", "--agent", agentID, "--input", input, "--json", "--server", url, "--key", key])
            #expect(called.exitCode == 11, "\(called.stdout) \(called.stderr)")
            let approvalID = try #require(try called.json()["approval"]?["id"]?.stringValue)

            let approving = Task { try await cli.run(["approvals", "approve", approvalID, "--json", "--server", url, "--key", key]) }
            let running = await Self.eventually {
                (try? await Self.request("GET", "\(url)/api/v1/approvals/\(approvalID)", key: key))?["status"] == "running"
            }
            #expect(running, "the approved call never started")
            // A local command on the same data directory, while the server's call runs.
            let local = try await cli.run(["call", "hash_digest", "--input", #"{"algorithm": "sha256", "text": "x"}"#])
            #expect(local.exitCode == 0, "\(local.stderr)")

            let result = try await approving.value
            #expect(result.exitCode == 0, "\(result.stdout) \(result.stderr)")
            let stored = try await Self.request("GET", "\(url)/api/v1/approvals/\(approvalID)", key: key)
            #expect(stored["status"] == "completed", "\(stored)")
            #expect(stored["result"]?["output"]?["stdout"] == "done\n", "\(stored)")
        }
    }

    @Test("two servers on one data directory: a publish and a yank through one are what the other serves at its next read")
    func twoServersShareTheCatalog() async throws {
        let cli = try CLIRunner()
        defer { cli.removeAll() }
        try await ServerProcess.with(cli) { reader in
            // The second host starts once the first has created the data directory and its admin key.
            // (Should the test end early, dropping it closes its lifeline, which stops it.)
            let writer = try await ServerProcess.start(dataDirectory: cli.dataDirectory, logDirectory: cli.workDirectory)
            let key = try reader.adminKey
            let package = try Fixture.copyExample("word-count", into: cli)
            for version in ["1.0.0", "1.1.0"] {
                try Fixture.setVersion(version, of: package)
                let published = try await cli.run(["publish", package.path, "--server", writer.url, "--key", key])
                #expect(published.exitCode == 0, "\(published.stderr)")
            }
            func served() async throws -> JSONValue? {
                let shown = try await cli.run(["tools", "show", "acme/word-count/count", "--json", "--server", reader.url, "--key", key])
                return shown.exitCode == 0 ? try shown.json()["version"] : nil
            }
            #expect(try await served() == "1.1.0", "the reader does not serve what the writer published")
            let yanked = try await Self.request("POST", "\(writer.url)/api/v1/packages/acme/word-count/versions/1.1.0/yank", key: key,
                                                json: ["reason": "broken"])
            #expect(yanked["yanked"] == true, "\(yanked)")
            #expect(try await served() == "1.0.0", "the reader still serves the version the writer yanked")
            await writer.stop()
        }
    }

    static func eventually(_ condition: () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }
}
