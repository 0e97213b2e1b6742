import Foundation
import Glibc
import Testing

@testable import Sandbox

/// One `Sandbox` serving many runs at once, as the server's pool does: every run gets its own output
/// (no pipe crosses over), every run is ok, and nothing is left behind afterwards.
@Suite("Many sandboxes at once", .serialized)
struct ConcurrencyTests {
    /// The program of run `index`: the four profiles in turn, each printing a token unique to the run.
    static func request(index: Int, round: Int) -> (SandboxRequest, expected: String) {
        let token = "run-\(round)-\(index)"
        let (profile, command): (String, [String]) = switch index % 4 {
        case 0: ("python3", ["/usr/bin/python3", "-c", "import sys; print(sys.argv[1])", token])
        case 1: ("sh", ["sh", "-c", "echo \"$1\"", "sh", token])
        case 2: ("node", ["/usr/bin/node", "-e", "console.log(process.argv[1])", token])
        default: ("exec", ["/usr/bin/printf", "%s\\n", token])
        }
        var limits = SandboxFixture.testLimits
        // Fifty at once on two cores: the wall clock is not what is under test here.
        limits.wallTimeMs = 120_000
        limits.cpuTimeMs = 20_000
        limits.memoryBytes = 256 << 20
        return (SandboxRequest(profile: profile, command: command, limits: limits), token + "\n")
    }

    @Test("50 sandboxes at once, three rounds, mixed profiles: all ok, each with its own output, nothing left behind")
    func fiftyAtOnce() async throws {
        // hostUnaffected compares this process's descriptor count, zombies and run cgroups before and after.
        try await SandboxFixture.hostUnaffected {
            for round in 0..<3 {
                let results = try await withThrowingTaskGroup(of: (Int, SandboxResult).self) { group in
                    for index in 0..<50 {
                        group.addTask {
                            let (request, _) = Self.request(index: index, round: round)
                            return (index, try await SandboxFixture.shared.run(request))
                        }
                    }
                    var collected: [Int: SandboxResult] = [:]
                    for try await (index, result) in group { collected[index] = result }
                    return collected
                }
                #expect(results.count == 50)
                // One expectation per profile and round, naming the first failure, rather than one per run.
                var failures: [String: [String]] = [:]
                for (index, result) in results.sorted(by: { $0.key < $1.key }) {
                    let (request, expected) = Self.request(index: index, round: round)
                    if result.outcome != .ok || SandboxFixture.text(result.stdout) != expected || !result.stderr.isEmpty {
                        let account = "run \(index): expected \(expected.debugDescription), \(SandboxFixture.describe(result))"
                        failures[request.profile, default: []].append(account)
                    }
                }
                for (profile, failed) in failures.sorted(by: { $0.key < $1.key }) {
                    Issue.record("round \(round): \(failed.count) of the \(profile) runs failed; the first: \(failed[0])")
                }
            }
        }
    }

    @Test("runs that hit limits and blocked syscalls at the same time each get their own outcome")
    func mixedOutcomesAtOnce() async throws {
        try await SandboxFixture.hostUnaffected {
            let cases: [(SandboxOutcome, String?, [String])] = [
                (.ok, nil, ["sh", "-c", "echo fine"]),
                (.syscallBlocked, "ptrace", ["/usr/bin/python3", "-c", "import ctypes; ctypes.CDLL(None).ptrace(16, 1, 0, 0)"]),
                (.memoryLimit, nil, ["/usr/bin/python3", "-c", "x = [bytearray(1 << 20) for _ in range(1024)]"]),
                (.wallTimeLimit, nil, ["sleep", "100"]),
                (.outputLimit, nil, ["yes"]),
                (.exitNonzero, nil, ["sh", "-c", "exit 7"]),
            ]
            let results = try await withThrowingTaskGroup(of: (Int, SandboxResult).self) { group in
                for pass in 0..<4 {
                    for (index, item) in cases.enumerated() {
                        group.addTask {
                            var limits = SandboxFixture.testLimits
                            limits.memoryBytes = 64 << 20
                            limits.wallTimeMs = 3000
                            limits.cpuTimeMs = 20_000
                            let profile = item.2[0].hasSuffix("python3") ? "python3" : "sh"
                            let result = try await SandboxFixture.shared.run(SandboxRequest(profile: profile, command: item.2, limits: limits))
                            return (pass * 100 + index, result)
                        }
                    }
                }
                var collected: [(Int, SandboxResult)] = []
                for try await item in group { collected.append(item) }
                return collected
            }
            #expect(results.count == cases.count * 4)
            for (key, result) in results {
                let (outcome, syscall, command) = cases[key % 100]
                #expect(result.outcome == outcome, "\(command): \(SandboxFixture.describe(result))")
                if let syscall { #expect(result.syscall == syscall, "\(command)") }
            }
        }
    }
}
