// Sandboxed process start-up against bare exec and bubblewrap, measured side by side in one run
// (the machine is shared, so only ratios within a run mean anything). `make bench` runs it.
import Foundation
import Glibc
import Sandbox

/// Monotonic seconds.
enum Monotonic {
    static var now: Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}

let rounds = Int(ProcessInfo.processInfo.environment["BENCH_ROUNDS"] ?? "") ?? 200

/// Starts `argv` with posix_spawn and waits for it; the wall time in milliseconds.
func timeSpawn(_ argv: [String]) -> Double {
    let start = Monotonic.now
    var pid: pid_t = 0
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    let cArguments = argv.map { strdup($0) } + [nil]
    let environment: [UnsafeMutablePointer<CChar>?] = [strdup("PATH=/usr/bin:/bin"), nil]
    let result = posix_spawn(&pid, argv[0], &actions, nil, cArguments, environment)
    precondition(result == 0, "cannot start \(argv[0]): \(String(cString: strerror(result)))")
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    posix_spawn_file_actions_destroy(&actions)
    for pointer in cArguments + environment { free(pointer) }
    precondition(status == 0, "\(argv.joined(separator: " ")) failed with status \(status)")
    return (Monotonic.now - start) * 1000
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
}

func bubblewrap(_ command: [String]) -> [String] {
    ["/usr/bin/bwrap", "--unshare-all", "--die-with-parent", "--ro-bind", "/usr", "/usr",
     "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/bin", "/bin",
     "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--chdir", "/tmp"] + command
}

/// The measurement loop, off the main actor: like a server's request handler, it awaits runs on
/// Swift's cooperative pool.
func measure() async throws {
    // Long-lived, like the server's: a few launchers are kept started, each already in the cgroups
    // of the one run it will serve (BENCH_PREWARM=0 measures a launcher started per run).
    let prewarm = Int(ProcessInfo.processInfo.environment["BENCH_PREWARM"] ?? "") ?? 2
    let sandbox = try Sandbox(prewarmedLaunchers: prewarm)
    print("prewarmed launchers: \(prewarm)")
    defer { sandbox.shutdown() }
    let cases: [(name: String, profile: String, command: [String])] = [
        ("/bin/true", "exec", ["/bin/true"]),
        ("python3 -c pass", "python3", ["/usr/bin/python3", "-c", "pass"]),
    ]

    print("sandbox start-up, p50 of \(rounds) rounds each, interleaved (every isolation and limit on)")
    for (name, profile, command) in cases {
        var bare: [Double] = []
        var wrapped: [Double] = []
        var sandboxed: [Double] = []
        var tornDown: [Double] = []
        let request = SandboxRequest(profile: profile, command: command, limits: sandbox.policy.defaults)
        for round in 0..<(rounds + 10) {
            // Interleaved so that drift of the shared machine hits all three alike; the first ten warm up.
            let b = timeSpawn(command)
            let w = timeSpawn(bubblewrap(command))
            let start = Monotonic.now
            let result = try await sandbox.run(request)
            let s = (Monotonic.now - start) * 1000
            // The answer comes before the namespaces' teardown, which finishes in the background.
            // Wait for it here so that it does not slow the next round's baselines down, and report
            // it too.
            await sandbox.quiesce()
            let t = (Monotonic.now - start) * 1000
            guard result.outcome == .ok else {
                print("sandboxed \(name) did not succeed: \(result.outcome.rawValue) \(result.detail ?? "") \(String(decoding: result.stderr, as: UTF8.self))")
                exit(1)
            }
            if round >= 10 {
                bare.append(b)
                wrapped.append(w)
                sandboxed.append(s)
                tornDown.append(t)
            }
        }
        let (b, w, s, t) = (median(bare), median(wrapped), median(sandboxed), median(tornDown))
        print(String(format: "%-16@ bare %6.2f ms   bubblewrap %6.2f ms   toolhost %6.2f ms   toolhost/bubblewrap %.2f   toolhost/bare %.2f",
                     name as NSString, b, w, s, s / w, s / b))
        print(String(format: "%-16@ toolhost until torn down (namespaces gone, cgroup removed) %6.2f ms   /bubblewrap %.2f",
                     "" as NSString, t, t / w))
    }
}

try await measure()
