import Foundation
import TestSupport
import Testing
import ToolhostCore

/// `toolhost doctor`, run as the real binary on this machine, whole and with a piece taken away.
@Suite("toolhost doctor")
struct DoctorCommandTests {
    static func checks(_ result: CLIRunner.Result) throws -> [String: JSONValue] {
        var byName: [String: JSONValue] = [:]
        for check in try result.json()["checks"]?.arrayValue ?? [] { byName[check["name"]?.stringValue ?? ""] = check }
        return byName
    }

    @Test("on this machine every required check passes and it exits 0; a missing server is only a warning")
    func passesHere() async throws {
        let cli = try CLIRunner()
        defer { cli.removeAll() }
        let closedPort = "http://127.0.0.1:\(try ServerProcess.freePort())"
        let result = try await cli.run(["doctor", "--json", "--server", closedPort])
        #expect(result.exitCode == 0, "\(result.stdout) \(result.stderr)")
        #expect(try result.json()["ok"] == true)
        let checks = try Self.checks(result)
        for name in ["user namespaces", "seccomp", "cgroups", "launcher", "python3", "sh", "libraries", "sandboxed run", "data directory"] {
            #expect(checks[name]?["status"] == "ok", "\(name): \(checks[name] ?? .null)")
        }
        #expect(checks["server"]?["status"] == "warning")
        #expect(checks["server"]?["fix"]?.stringValue?.contains("toolhost serve") == true)
        let text = try await cli.run(["doctor", "--server", closedPort])
        #expect(text.stdout.contains("✓ sandboxed run"), "\(text.stdout)")
        #expect(text.stdout.hasSuffix("sandboxed tools can run here\n"), "\(text.stdout)")
    }

    @Test("a running server is found")
    func findsServer() async throws {
        let cli = try CLIRunner()
        defer { cli.removeAll() }
        try await ServerProcess.with(cli) { server in
            let result = try await cli.run(["doctor", "--json", "--server", server.url])
            #expect(try Self.checks(result)["server"]?["status"] == "ok", "\(result.stdout)")
        }
    }

    @Test("without the launcher it exits 1, naming the missing file and how to get it")
    func missingLauncher() async throws {
        let cli = try CLIRunner()
        defer { cli.removeAll() }
        let closedPort = "http://127.0.0.1:\(try ServerProcess.freePort())"
        let result = try await cli.run(["doctor", "--json", "--server", closedPort],
                                       environment: ["TOOLHOST_SANDBOX_LAUNCHER": "/nonexistent/toolhost-sandbox"])
        #expect(result.exitCode == 1, "\(result.stdout) \(result.stderr)")
        #expect(try result.json()["ok"] == false)
        let checks = try Self.checks(result)
        #expect(checks["launcher"]?["status"] == "failed")
        #expect(checks["launcher"]?["detail"]?.stringValue?.contains("/nonexistent/toolhost-sandbox is not an executable file") == true)
        #expect(checks["launcher"]?["fix"]?.stringValue?.contains("swift build") == true)
        #expect(checks["sandboxed run"]?["status"] == "failed")
        let text = try await cli.run(["doctor", "--server", closedPort], environment: ["TOOLHOST_SANDBOX_LAUNCHER": "/nonexistent/toolhost-sandbox"])
        #expect(text.stdout.contains("✗ launcher"), "\(text.stdout)")
        #expect(text.stdout.hasSuffix("sandboxed tools cannot run here: 2 checks failed\n"), "\(text.stdout)")
    }
}
