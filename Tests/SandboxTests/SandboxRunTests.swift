import Foundation
import Testing
import ToolhostCore

@testable import Sandbox

@Suite("Running programs in the sandbox", .serialized)
struct SandboxRunTests {
    @Test("python3 prints 1 and the run is ok, with usage measured")
    func pythonPrints() async throws {
        let result = try await SandboxFixture.run("python3", ["python3", "-c", "print(1)"])
        #expect(result.outcome == .ok, "\(result.detail ?? "") \(SandboxFixture.text(result.stderr))")
        #expect(SandboxFixture.text(result.stdout) == "1\n")
        #expect(result.exitCode == 0)
        #expect(result.usage.wallMs > 0)
        #expect(result.usage.peakMemoryBytes > 0)
    }

    @Test("a non-zero exit is exit_nonzero with its code; a missing program is setup_failed at exec")
    func exits() async throws {
        let failing = try await SandboxFixture.run("sh", ["sh", "-c", "echo oops >&2; exit 3"])
        #expect(failing.outcome == .exitNonzero)
        #expect(failing.exitCode == 3)
        #expect(SandboxFixture.text(failing.stderr) == "oops\n")
        let missing = try await SandboxFixture.run("exec", ["/no/such/program"])
        #expect(missing.outcome == .setupFailed)
        #expect(missing.detail?.hasPrefix("exec: No such file or directory") == true, "\(missing.detail ?? "")")
    }

    @Test("standard input reaches the program")
    func standardInput() async throws {
        let result = try await SandboxFixture.run("sh", ["sh", "-c", "tr a-z A-Z"]) { $0.stdin = Data("hello".utf8) }
        #expect(SandboxFixture.text(result.stdout) == "HELLO")
    }

    @Test("the program works in /work, which is the host workdir, and links it leaves are listed, not followed")
    func workdirFiles() async throws {
        let workdir = try SandboxFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: workdir) }
        let result = try await SandboxFixture.run("sh", ["sh", "-c", "pwd; echo data > out.txt; mkdir -p sub; echo x > sub/y; ln -s /etc/shadow leak"]) {
            $0.workdir = workdir
            $0.collectFiles = true
        }
        #expect(result.outcome == .ok, "\(SandboxFixture.text(result.stderr))")
        #expect(SandboxFixture.text(result.stdout) == "/work\n")
        #expect(try String(contentsOf: workdir.appendingPathComponent("out.txt"), encoding: .utf8) == "data\n")
        let files = try #require(result.files)
        #expect(files.map(\.path) == ["leak", "out.txt", "sub/y"])
        #expect(files.first { $0.path == "leak" }?.isSymlink == true)
        #expect(WorkdirFiles.read("leak", in: workdir.path, maximumBytes: 1 << 20) == nil)
        #expect(WorkdirFiles.read("../\(workdir.lastPathComponent)/out.txt", in: workdir.path, maximumBytes: 1 << 20) == nil)
        #expect(WorkdirFiles.read("out.txt", in: workdir.path, maximumBytes: 1 << 20) == Data("data\n".utf8))
    }

    @Test("the environment is the policy's plus the request's, nothing of the host's")
    func environment() async throws {
        setenv("TOOLHOST_TEST_SECRET", "hunter2", 1)
        let result = try await SandboxFixture.run("sh", ["sh", "-c", "env | sort"]) { $0.environment["GREETING"] = "hi" }
        let variables = Set(SandboxFixture.text(result.stdout).split(separator: "\n").map { String($0.split(separator: "=").first ?? "") })
        #expect(variables.contains("GREETING"))
        #expect(variables.contains("PATH"))
        #expect(!variables.contains("TOOLHOST_TEST_SECRET"))
    }

    @Test("bad requests are refused before anything runs, naming what is wrong")
    func badRequests() async throws {
        let profile = await #expect(throws: ToolhostError.self) { _ = try await SandboxFixture.run("ruby", ["ruby"]) }
        #expect(profile?.message.contains("unknown sandbox profile \"ruby\"") == true)
        let limit = await #expect(throws: ToolhostError.self) {
            _ = try await SandboxFixture.run("sh", ["true"]) { $0.limits.memoryBytes = 0 }
        }
        #expect(limit?.message == "sandbox limit memory must be positive")
        let empty = await #expect(throws: ToolhostError.self) { _ = try await SandboxFixture.run("sh", []) }
        #expect(empty?.message.contains("needs a command") == true)
    }
}
