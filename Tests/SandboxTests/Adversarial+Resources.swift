import Foundation
import Glibc
import Testing

@testable import Sandbox
import ToolhostCore

/// Programs that try to exhaust the machine: processes, memory, CPU, time, output, disk, descriptors.
/// Each ends with the outcome that names the limit, within that limit, and leaves nothing behind.
@Suite("Adversarial programs: resource exhaustion", .serialized)
struct AdversarialResourceTests {
    @Test("a fork bomb is held at the pids limit and reported as pids_limit; none of its processes survives")
    func forkBomb() async throws {
        try await SandboxFixture.hostUnaffected {
            // CPU time above what two cores can burn in the wall time: the bomb is stopped by the pids
            // limit and then the wall clock, and the outcome must name the cause (the pids limit). Its
            // stream of "Cannot fork" goes to /dev/null, or the output limit could end it first.
            let (result, seconds) = try await Attack.timed {
                try await SandboxFixture.run("sh", ["sh", "-c", "exec 2>/dev/null; bomb() { bomb | bomb & }; bomb; sleep 30"]) {
                    $0.limits.pids = 16
                    $0.limits.wallTimeMs = 2500
                    $0.limits.cpuTimeMs = 30_000
                }
            }
            #expect(result.outcome == .pidsLimit, "\(SandboxFixture.describe(result))")
            #expect(result.detail == "pids limit 16")
            #expect(seconds < 2.5 + 1.5, "the bomb stretched the run to \(seconds) s")
        }
    }

    @Test("allocating 10 GB in Python ends as memory_limit, and the peak never passes the limit")
    func memoryHog() async throws {
        try await SandboxFixture.hostUnaffected {
            // 1 MiB at a time, each touched (bytearray zero-fills), so the kernel cannot refuse the
            // allocation up front: the cgroup has to stop it.
            let result = try await SandboxFixture.python("""
                chunks = []
                for _ in range(10 * 1024):
                    chunks.append(bytearray(1 << 20))
                print("allocated 10 GB")
                """) { $0.limits.memoryBytes = 64 << 20 }
            #expect(result.outcome == .memoryLimit, "\(SandboxFixture.describe(result))")
            #expect(result.signal == Int(SIGKILL))
            #expect(result.stdout.isEmpty)
            #expect(result.usage.peakMemoryBytes <= 64 << 20, "peak \(result.usage.peakMemoryBytes)")
            #expect(result.usage.peakMemoryBytes > 32 << 20, "peak \(result.usage.peakMemoryBytes)")
        }
    }

    @Test("`while True: pass` ends as cpu_time_limit soon after the CPU limit")
    func busyLoop() async throws {
        try await SandboxFixture.hostUnaffected {
            let (result, seconds) = try await Attack.timed {
                try await SandboxFixture.python("while True: pass") {
                    $0.limits.cpuTimeMs = 1000
                    $0.limits.wallTimeMs = 10_000
                }
            }
            #expect(result.outcome == .cpuTimeLimit, "\(SandboxFixture.describe(result))")
            // The cgroup's count and the per-process RLIMIT_CPU backstop (tick-based) differ by a few ms.
            #expect(result.usage.cpuMs >= 950, "CPU \(result.usage.cpuMs) ms for a 1000 ms limit")
            #expect(result.usage.cpuMs < 2500, "CPU \(result.usage.cpuMs) ms for a 1000 ms limit")
            #expect(seconds < 3, "took \(seconds) s")
        }
    }

    @Test("CPU time counts the whole process tree: four busy children share one limit")
    func busyTree() async throws {
        try await SandboxFixture.hostUnaffected {
            let (result, seconds) = try await Attack.timed {
                try await SandboxFixture.run("sh", ["sh", "-c", "for i in 1 2 3 4; do (while :; do :; done) & done; wait"]) {
                    $0.limits.cpuTimeMs = 1500
                    $0.limits.wallTimeMs = 20_000
                }
            }
            #expect(result.outcome == .cpuTimeLimit, "\(SandboxFixture.describe(result))")
            #expect(result.usage.cpuMs >= 1450, "CPU \(result.usage.cpuMs) ms for a 1500 ms limit")
            // Per-process accounting would let each child run 1.5 s, i.e. 3 s on two cores.
            #expect(seconds < 2.8, "took \(seconds) s")
        }
    }

    @Test("`sleep 1000` ends as wall_time_limit, and the call returns within a second of the limit")
    func sleeper() async throws {
        try await SandboxFixture.hostUnaffected {
            let (result, seconds) = try await Attack.timed {
                try await SandboxFixture.run("sh", ["sleep", "1000"]) { $0.limits.wallTimeMs = 1500 }
            }
            #expect(result.outcome == .wallTimeLimit, "\(SandboxFixture.describe(result))")
            #expect(result.detail == "wall time limit 1500 ms")
            #expect(result.usage.wallMs >= 1500)
            #expect(seconds < 1.5 + 1, "took \(seconds) s")
        }
    }

    @Test("a grandchild that keeps stdout open does not hold the run: `(sleep 999 &); echo done` is ok at once")
    func backgroundHoldsOutput() async throws {
        try await SandboxFixture.hostUnaffected {
            let (result, seconds) = try await Attack.timed {
                try await SandboxFixture.run("sh", ["sh", "-c", "(sleep 999 &); (setsid sleep 998 &); echo done"]) {
                    $0.limits.wallTimeMs = 20_000
                }
            }
            #expect(result.outcome == .ok, "\(SandboxFixture.describe(result))")
            #expect(SandboxFixture.text(result.stdout) == "done\n")
            #expect(seconds < 2, "the run waited \(seconds) s for a process that held its stdout")
        }
    }

    @Test("`yes` floods stdout: output_limit, with stdout cut at exactly the limit", arguments: ["stdout", "stderr"])
    func outputFlood(stream: String) async throws {
        try await SandboxFixture.hostUnaffected {
            let command = stream == "stdout" ? ["yes"] : ["sh", "-c", "yes >&2"]
            let (result, seconds) = try await Attack.timed {
                try await SandboxFixture.run("sh", command) { $0.limits.outputBytes = 64 << 10 }
            }
            #expect(result.outcome == .outputLimit, "\(SandboxFixture.describe(result))")
            let (flooded, quiet) = stream == "stdout" ? (result.stdout, result.stderr) : (result.stderr, result.stdout)
            let (floodedTruncated, quietTruncated) =
                stream == "stdout" ? (result.stdoutTruncated, result.stderrTruncated) : (result.stderrTruncated, result.stdoutTruncated)
            #expect(flooded.count == 64 << 10)
            #expect(flooded == Data(String(repeating: "y\n", count: 32 << 10).utf8))
            #expect(floodedTruncated)
            #expect(quiet.isEmpty)
            #expect(!quietTruncated)
            #expect(seconds < 2, "took \(seconds) s")
        }
    }

    @Test("writing past the file size limit ends as file_size_limit, and the file stops at the limit")
    func fileSize() async throws {
        let workdir = try SandboxFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: workdir) }
        try await SandboxFixture.hostUnaffected {
            let result = try await SandboxFixture.run("sh", ["sh", "-c", "exec head -c 4194304 /dev/zero > /work/big"]) {
                $0.workdir = workdir
                $0.limits.fileSizeBytes = 1 << 20
            }
            #expect(result.outcome == .fileSizeLimit, "\(SandboxFixture.describe(result))")
            #expect(result.signal == Int(SIGXFSZ))
            let size = Attack.hostStat(workdir.appendingPathComponent("big").path).map { Int($0.st_size) }
            #expect(size == 1 << 20)
        }
    }

    @Test("opening 10,000 files stops at the open-files limit with EMFILE, and the hard limit cannot be raised")
    func openFiles() async throws {
        try await SandboxFixture.hostUnaffected {
            let result = try await SandboxFixture.python(
                Attack.python("""
                    import resource
                    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
                    try:
                        resource.setrlimit(resource.RLIMIT_NOFILE, (10000, 10000))
                        raised = "raised"
                    except (ValueError, OSError):
                        raised = "refused"
                    opened, error = 0, "none"
                    try:
                        for _ in range(10000):
                            os.open("/dev/null", os.O_RDONLY)
                            opened += 1
                    except OSError as e:
                        error = errno.errorcode[e.errno]
                    print(json.dumps({"soft": soft, "hard": hard, "raise": raised, "opened": opened, "error": error}))
                    """)) { $0.limits.openFiles = 64 }
            #expect(result.outcome == .ok, "\(SandboxFixture.describe(result))")
            let report = try Attack.report(result)
            #expect(report["soft"] as? Int == 64)
            #expect(report["hard"] as? Int == 64)
            #expect(report["raise"] as? String == "refused")
            #expect(report["error"] as? String == "EMFILE")
            #expect((report["opened"] as? Int ?? 0) < 64, "\(report)")
        }
    }

    @Test("filling a tmpfs stops with ENOSPC at its size; the host's /dev/shm and /tmp are unchanged", arguments: ["/dev/shm", "/tmp"])
    func fillTmpfs(path: String) async throws {
        try await SandboxFixture.hostUnaffected {
            let size = 4 << 20
            let result = try await SandboxFixture.python(
                Attack.python("""
                    written, error = 0, "none"
                    chunk = b"x" * 65536
                    try:
                        with open("\(path)/fill", "wb", buffering=0) as f:
                            while written < 64 << 20:
                                written += f.write(chunk)
                    except OSError as e:
                        error = errno.errorcode[e.errno]
                    print(json.dumps({"written": written, "error": error}))
                    """)) {
                    $0.limits.shmBytes = size
                    $0.limits.tmpBytes = size
                }
            #expect(result.outcome == .ok, "\(SandboxFixture.describe(result))")
            let report = try Attack.report(result)
            #expect(report["error"] as? String == "ENOSPC")
            let written = report["written"] as? Int ?? -1
            #expect(written <= size && written > size - (256 << 10), "wrote \(written) bytes into a \(size)-byte tmpfs")
            #expect(!FileManager.default.fileExists(atPath: "\(path)/fill"))
        }
    }

    @Test("when the supervisor dies mid-run (killed -9), nothing of the run outlives it")
    func supervisorDies() async throws {
        let toolhost = try #require(UnprivilegedHost.locateToolhost(), "build the toolhost executable first (swift build)")
        try await SandboxFixture.hostUnaffected {
            // The real CLI as the supervisor, so that it can be killed like a crashing server.
            let cli = try HostCommand.start(
                toolhost.path, ["sandbox", "run", "--profile", "sh", "--wall-time", "60s", "--", "sh", "-c", "sleep 987.654 & exec sleep 987.655"])
            var cliReaped = false
            defer {
                if !cliReaped {
                    kill(cli, SIGKILL)
                    HostCommand.reap(cli)
                }
            }
            let run = try #require(await SupervisedRun.find(sleeping: "987.654"), "the sandboxed program never started")
            kill(cli, SIGKILL)
            HostCommand.reap(cli)
            cliReaped = true
            let survivors = await run.processes(after: 3)
            #expect(survivors.isEmpty, "processes of the run outlived its supervisor by 3 s: \(survivors.map(run.describe))")
            // Clean up what this test started, should it have survived: SIGKILL from outside ends a
            // pid namespace's init, and with it everything inside.
            for pid in survivors { kill(pid, SIGKILL) }
            _ = await run.processes(after: 3)
            // A restarted supervisor sweeps the dead one's (now empty) cgroups.
            _ = try Sandbox()
        }
    }
}

/// The cgroup of a run started by another process, found through a process of the run.
struct SupervisedRun {
    /// `cgroup.procs` of the run's pids cgroup.
    var procs: String

    /// Waits up to 5 s for a process running `sleep SECONDS` in a run cgroup, and returns its run.
    static func find(sleeping seconds: String) async -> SupervisedRun? {
        for _ in 0..<100 {
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] where Int32(entry) != nil {
                guard let command = try? String(contentsOfFile: "/proc/\(entry)/cmdline", encoding: .utf8), command == "sleep\0\(seconds)\0",
                      let membership = try? String(contentsOfFile: "/proc/\(entry)/cgroup", encoding: .utf8),
                      let line = membership.split(separator: "\n").first(where: { $0.contains(":pids:") && $0.contains("/run-") })
                else { continue }
                let path = line.split(separator: ":", maxSplits: 2).last.map(String.init) ?? ""
                return SupervisedRun(procs: "/sys/fs/cgroup/pids\(path)/cgroup.procs")
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    /// The processes still in the run's cgroup once it is empty or `seconds` have passed.
    func processes(after seconds: Double) async -> [pid_t] {
        let deadline = Monotonic.now + seconds
        while true {
            let pids = ((try? String(contentsOfFile: procs, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { pid_t($0) }
            if pids.isEmpty || Monotonic.now >= deadline { return pids }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    func describe(_ pid: pid_t) -> String {
        let command = (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8))?.replacingOccurrences(of: "\0", with: " ") ?? "?"
        return "\(pid) \(command.trimmingCharacters(in: .whitespaces).prefix(100))"
    }
}
