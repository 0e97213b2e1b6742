import Foundation
import Glibc
import Testing

@testable import Sandbox
import ToolhostCore

/// A sandbox that keeps launchers started ahead of time (the server's) must run exactly like one
/// that starts a launcher per run, and leave nothing behind once shut down.
@Suite("Prewarmed launchers", .serialized)
struct PrewarmedLauncherTests {
    @Test(
        "runs through prewarmed launchers end as they would otherwise, with limits, input and the seccomp filter in force"
    )
    func sameOutcomes() async throws {
        // Created and filled under the gate but before the host's "before" snapshot (its idle
        // launchers are counted there, and gone after shutdown), so that the runs below really take
        // prewarmed launchers.
        try await SandboxFixture.exclusive {
            let sandbox = try Sandbox(prewarmedLaunchers: 2)
            try await Task.sleep(for: .milliseconds(300))
            try await SandboxFixture.hostUnaffected {
                var request = SandboxRequest(
                    profile: "python3",
                    command: ["/usr/bin/python3", "-c", "import sys; print(sys.stdin.read().upper())"])
                request.stdin = Data("hello".utf8)
                let echoed = try await sandbox.run(request)
                #expect(
                    echoed.outcome == .ok && SandboxFixture.text(echoed.stdout) == "HELLO\n",
                    "\(SandboxFixture.describe(echoed))")

                let failing = try await sandbox.run(
                    SandboxRequest(profile: "sh", command: ["sh", "-c", "echo out; exit 3"]))
                #expect(
                    failing.outcome == .exitNonzero && failing.exitCode == 3
                        && SandboxFixture.text(failing.stdout) == "out\n")

                var hog = SandboxRequest(
                    profile: "python3",
                    command: ["/usr/bin/python3", "-c", "x = [bytearray(1 << 20) for _ in range(1024)]"])
                hog.limits.memoryBytes = 48 << 20
                let killed = try await sandbox.run(hog)
                #expect(killed.outcome == .memoryLimit, "\(SandboxFixture.describe(killed))")
                #expect(killed.usage.peakMemoryBytes <= 48 << 20)

                let blocked = try await sandbox.run(
                    SandboxRequest(
                        profile: "python3",
                        command: [
                            "/usr/bin/python3", "-c", "import ctypes; ctypes.CDLL(None).ptrace(16, 1, 0, 0)",
                        ]))
                #expect(
                    blocked.outcome == .syscallBlocked && blocked.syscall == "ptrace",
                    "\(SandboxFixture.describe(blocked))")

                let noInput = try await sandbox.run(
                    SandboxRequest(profile: "sh", command: ["sh", "-c", "cat; echo end"]))
                #expect(noInput.outcome == .ok && SandboxFixture.text(noInput.stdout) == "end\n")

                // Ten in a row: more than the pool holds, so some start launchers of their own.
                for round in 0..<10 {
                    let result = try await sandbox.run(
                        SandboxRequest(profile: "exec", command: ["/usr/bin/true"]))
                    #expect(result.outcome == .ok, "round \(round): \(SandboxFixture.describe(result))")
                }
                await sandbox.quiesce()
                sandbox.shutdown()
            }
        }
    }

    @Test("a command line too long for one request still runs, in a launcher of its own")
    func longCommandLine() async throws {
        try await SandboxFixture.exclusive {
            let sandbox = try Sandbox(prewarmedLaunchers: 1)
            try await Task.sleep(for: .milliseconds(200))
            try await SandboxFixture.hostUnaffected {
                let long = String(repeating: "x", count: 100_000)
                let result = try await sandbox.run(
                    SandboxRequest(
                        profile: "sh", command: ["sh", "-c", "echo ${#1} ${#2} ${#3}", "sh", long, long, long]))
                #expect(
                    result.outcome == .ok && SandboxFixture.text(result.stdout) == "100000 100000 100000\n",
                    "\(SandboxFixture.describe(result))")
                await sandbox.quiesce()
                sandbox.shutdown()
            }
        }
    }
}
