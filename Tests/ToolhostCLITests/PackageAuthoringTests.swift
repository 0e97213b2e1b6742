import Foundation
import TestSupport
import Testing
import ToolhostCore

/// Issue 10: a package author's first minute — `toolhost init`, `toolhost test`, `toolhost run`,
/// then publish and call — with the real binary, the real sandbox and a real server.
@Suite("Writing a tool package: init, test, run, publish")
struct PackageAuthoringTests {
    @Test("for each runtime, init writes a package whose example passes, which runs locally, publishes and answers calls")
    func initTestRunPublish() async throws {
        let cli = try CLIRunner()
        defer { cli.removeAll() }
        try await ServerProcess.with(cli) { server in
            let key = try server.adminKey
            for runtime in ["python3", "node", "sh"] {
                let directory = cli.workDirectory.appendingPathComponent("greeter-\(runtime)").path
                let created = try await cli.run(["init", directory, "--runtime", runtime])
                #expect(created.exitCode == 0, "\(runtime): \(created.stderr)")
                #expect(created.stdout.hasPrefix("created local/greeter-\(runtime) (\(runtime))"), "\(created.stdout)")

                let tested = try await cli.run(["test", directory])
                #expect(tested.exitCode == 0, "\(runtime): \(tested.stdout) \(tested.stderr)")
                #expect(tested.stdout == "✓ hello / ada\n1 example: 1 passed, 0 failed\n", "\(runtime): \(tested.stdout)")

                let ran = try await cli.run(["run", directory, "--input", #"{"name": "Grace"}"#, "--json"])
                #expect(ran.exitCode == 0, "\(runtime): \(ran.stderr)")
                let result = try ran.json()
                #expect(result["output"] == ["greeting": "Hello, Grace!"], "\(runtime): \(ran.stdout)")
                #expect(result["usage"]?["sandbox"]?["outcome"] == "ok", "\(runtime): \(ran.stdout)")

                let published = try await cli.run(["publish", directory, "--server", server.url, "--key", key])
                #expect(published.exitCode == 0, "\(runtime): \(published.stderr)")
                let called = try await cli.run(["call", "local/greeter-\(runtime)/hello", "--input", #"{"name": "Ada"}"#, "--server", server.url, "--key", key])
                #expect(called.exitCode == 0, "\(runtime): \(called.stderr)")
                #expect(try called.json() == ["greeting": "Hello, Ada!"], "\(runtime): \(called.stdout)")
                let shown = try await cli.run(["tools", "show", "local/greeter-\(runtime)/hello", "--json", "--server", server.url, "--key", key])
                // The hints make it read-only, so the derived level is 1.
                #expect(try shown.json()["definition"]?["privilegeLevel"] == 1, "\(runtime): \(shown.stdout)")
            }
        }
    }

    @Test("init refuses a directory that is not empty, an unknown runtime and an invalid name, and writes nothing then")
    func initRefusals() async throws {
        let cli = try CLIRunner()
        defer { cli.removeAll() }
        let occupied = cli.workDirectory.appendingPathComponent("occupied")
        try FileManager.default.createDirectory(at: occupied, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: occupied.appendingPathComponent("notes.txt"))
        let notEmpty = try await cli.run(["init", occupied.path])
        #expect(notEmpty.exitCode == 1 && notEmpty.stderr.contains("is not empty"), "\(notEmpty.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: occupied.path) == ["notes.txt"])

        let fresh = cli.workDirectory.appendingPathComponent("fresh").path
        let runtime = try await cli.run(["init", fresh, "--runtime", "ruby"])
        #expect(runtime.exitCode == 2 && runtime.stderr.contains("python3, node, sh"), "\(runtime.stderr)")
        let name = try await cli.run(["init", fresh, "--name", "Not Valid"])
        #expect(name.exitCode == 1 && name.stderr.contains("name"), "\(name.stderr)")
        #expect(!FileManager.default.fileExists(atPath: fresh))
    }

    @Test("test shows a wrong output as a diff and exits 1; run names the tools there are and the manifest's problems")
    func failures() async throws {
        let cli = try CLIRunner()
        defer { cli.removeAll() }
        let directory = cli.workDirectory.appendingPathComponent("greeter")
        _ = try await cli.run(["init", directory.path])
        let manifestURL = directory.appendingPathComponent("toolhost.json")
        let manifest = try String(contentsOf: manifestURL, encoding: .utf8)
        // The expected output is the only "Hello, Ada!" in the manifest.
        try Data(manifest.replacingOccurrences(of: "\"Hello, Ada!\"", with: "\"Hi, Ada!\"").utf8).write(to: manifestURL)

        let tested = try await cli.run(["test", directory.path])
        #expect(tested.exitCode == 1)
        #expect(tested.stdout.contains("✗ hello / ada"), "\(tested.stdout)")
        #expect(tested.stdout.contains("-  \"greeting\": \"Hi, Ada!\"") && tested.stdout.contains("+  \"greeting\": \"Hello, Ada!\""), "\(tested.stdout)")
        #expect(tested.stdout.hasSuffix("1 example: 0 passed, 1 failed\n"), "\(tested.stdout)")

        let unknown = try await cli.run(["run", directory.path, "goodbye"])
        #expect(unknown.exitCode == 3 && unknown.stderr.contains("its tools: hello"), "\(unknown.stderr)")

        try Data(manifest.replacingOccurrences(of: "\"inputSchema\"", with: "\"inputSchemata\"").utf8).write(to: manifestURL)
        let invalid = try await cli.run(["run", directory.path, "--input", #"{"name": "Ada"}"#])
        #expect(invalid.exitCode == 1 && invalid.stderr.contains("inputSchema"), "\(invalid.stderr)")
    }
}
