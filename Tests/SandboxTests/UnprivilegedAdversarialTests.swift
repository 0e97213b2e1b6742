import Foundation
import Glibc
import Testing

@testable import Sandbox

/// The adversarial list of the sandbox's acceptance, run by an unprivileged user (uid 65534 through
/// the real CLI, see ``UnprivilegedHost``): each case must end exactly as it does for root, and leave
/// the host unaffected.
@Suite(
    "Adversarial programs, run by an unprivileged user", .serialized,
    .enabled(if: UnprivilegedHost.isSupported, "needs root (to delegate a cgroup), cgroup v1 and setpriv"))
struct UnprivilegedAdversarialTests {
    /// One attack: CLI arguments after `sandbox run --json`, and what must come of it.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var arguments: [String]
        var outcome: SandboxOutcome
        var syscall: String?
        /// Text the program's stdout must hold (checked only when given).
        var stdout: String?
        var testDescription: String { name }

        static func python(_ name: String, _ script: String, _ outcome: SandboxOutcome, syscall: String? = nil, stdout: String? = nil,
                           limits: [String] = []) -> Case {
            Case(name: name, arguments: ["--profile", "python3"] + limits + ["--", "/usr/bin/python3", "-c", Attack.python(script)],
                 outcome: outcome, syscall: syscall, stdout: stdout)
        }

        static func sh(_ name: String, _ script: String, _ outcome: SandboxOutcome, syscall: String? = nil, stdout: String? = nil,
                       limits: [String] = []) -> Case {
            Case(name: name, arguments: ["--profile", "sh"] + limits + ["--", "sh", "-c", script], outcome: outcome, syscall: syscall, stdout: stdout)
        }
    }

    static let cases: [Case] = [
        .sh("fork bomb", "exec 2>/dev/null; bomb() { bomb | bomb & }; bomb; sleep 30", .pidsLimit,
            limits: ["--pids", "16", "--wall-time", "3s", "--cpu-time", "30s"]),
        .python("allocate 10 GB", "x = [bytearray(1 << 20) for _ in range(10 * 1024)]", .memoryLimit, limits: ["--memory", "64M"]),
        .python("while True: pass", "while True: pass", .cpuTimeLimit, limits: ["--cpu-time", "1s", "--wall-time", "10s"]),
        .sh("sleep forever", "sleep 1000", .wallTimeLimit, limits: ["--wall-time", "1s"]),
        .sh("(sleep 999 &) holding stdout", "(sleep 999 &); echo done", .ok, stdout: "done\n", limits: ["--wall-time", "5s"]),
        .sh("yes flood", "yes", .outputLimit, limits: ["--output", "64K"]),
        .python("AF_INET connect to 169.254.169.254", """
            import socket
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.connect(("169.254.169.254", 80))
            print("returned")
            """, .syscallBlocked, syscall: "socket"),
        .python("ptrace", "print('returned', libc.ptrace(16, 1, None, None))", .syscallBlocked, syscall: "ptrace"),
        .python("mount", #"print("returned", libc.mount(b"none", b"/tmp", b"tmpfs", 0, None))"#, .syscallBlocked, syscall: "mount"),
        .sh("unshare -r", "unshare -r id", .syscallBlocked, syscall: "unshare"),
        .python("setns", #"print("returned", libc.setns(os.open("/proc/self/ns/net", os.O_RDONLY), 0))"#, .syscallBlocked, syscall: "setns"),
        .sh("write into /usr", "echo x > /usr/toolhost-marker && echo written; touch /usr/bin/toolhost-marker 2>&1 | grep -c 'Read-only'",
            .ok, stdout: "1\n"),
        .python("read the host's /etc/shadow", """
            import os
            print(os.path.exists("/etc/shadow"), sorted(os.listdir("/etc")))
            """, .ok, stdout: "False"),
        .python("/dev/sda, /dev/mem and mknod", """
            import os
            print(sorted(os.listdir("/dev")))
            print("returned", libc.mknod(b"/tmp/sda", 0o60600, os.makedev(8, 0)))
            """, .syscallBlocked, syscall: "mknodat", stdout: "['fd', 'null', 'random', 'shm', 'stderr', 'stdin', 'stdout', 'urandom', 'zero']"),
        .python("TIOCSTI", """
            libc.ioctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_char_p]
            print("returned", libc.ioctl(0, 0x5412, b"x"))
            """, .syscallBlocked, syscall: "ioctl"),
        .python("io_uring_setup", "print('returned', *raw(425, 8, 0))", .syscallBlocked, syscall: "io_uring_setup"),
        .python("bpf", "print('returned', *raw(321, 0, 0, 0))", .syscallBlocked, syscall: "bpf"),
        .python("keyctl", "print('returned', *raw(250, 0, -3, 0))", .syscallBlocked, syscall: "keyctl"),
        .python("10,000 open files", """
            files = []
            try:
                for _ in range(10000):
                    files.append(open("/dev/null"))
            except OSError as error:
                print("stopped", len(files), errno.errorcode[error.errno])
            """, .ok, stdout: "EMFILE"),
        .sh("fill /dev/shm", "dd if=/dev/zero of=/dev/shm/fill bs=1M count=64 2>&1 | grep -c 'No space left'", .ok, stdout: "1\n"),
        .sh("printenv", "printenv", .ok),
        .python("/proc/1/environ and host pids", """
            import os
            pids = sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
            print(open("/proc/1/cmdline").read().split("\\0")[0], pids[0], len(pids) < 5)
            """, .ok, stdout: "toolhost-sandbox 1 True"),
    ]

    @Test("each attack ends as it does for root, and the host is unaffected", arguments: cases)
    func attack(_ attack: Case) async throws {
        let secret = "host-secret-\(UUID().uuidString)"
        try await UnprivilegedHost.with { host in
            try await SandboxFixture.hostUnaffected {
                let before = Attack.hostStat("/usr/toolhost-marker")
                let run = try await host.sandbox(attack.arguments, hostEnvironment: ["AWS_SECRET_ACCESS_KEY": secret])
                let result = try #require(run.result, "\(attack.name): no JSON result: \(run)")
                #expect(result.outcome == attack.outcome, "\(attack.name): \(run)")
                if let syscall = attack.syscall { #expect(result.syscall == syscall, "\(attack.name): \(run)") }
                let stdout = SandboxFixture.text(result.stdout)
                if let expected = attack.stdout { #expect(stdout.contains(expected), "\(attack.name): \(stdout)") }
                #expect(!stdout.contains("returned") && !stdout.contains("written") && !stdout.contains("survived"), "\(attack.name): \(stdout)")
                #expect(!stdout.contains(secret), "\(attack.name): the host's environment leaked")
                #expect(before == nil && Attack.hostStat("/usr/toolhost-marker") == nil)
                if attack.outcome == .outputLimit { #expect(result.stdoutTruncated && result.stdout.count == 64 << 10) }
            }
        }
    }

    @Test("a symlink in the workdir to a host file is never followed to the host: writing through it fails, the host file is unchanged")
    func symlinkToHostFile() async throws {
        try await UnprivilegedHost.with { host in
            let before = try Data(contentsOf: URL(fileURLWithPath: "/etc/passwd"))
            try FileManager.default.createSymbolicLink(atPath: host.workdir.appendingPathComponent("planted").path, withDestinationPath: "/etc/passwd")
            try await SandboxFixture.hostUnaffected {
                let run = try await host.sandbox(["--profile", "sh", "--workdir", host.workdir.path, "--", "sh", "-c",
                                                  "ln -s /etc/shadow own; echo pwned >> planted; echo pwned >> own; echo end"])
                let result = try #require(run.result, "\(run)")
                #expect(result.outcome == .ok, "\(run)")
                // The shell reports a failed redirection on its own stderr.
                #expect(SandboxFixture.text(result.stderr).components(separatedBy: "Read-only file system").count == 3, "\(run)")
            }
            #expect(try Data(contentsOf: URL(fileURLWithPath: "/etc/passwd")) == before)
            #expect(Attack.hostStat("/etc/shadow").map { $0.st_size } != nil)
            #expect(!(try String(contentsOfFile: "/etc/shadow", encoding: .utf8)).contains("pwned"))
        }
    }

    @Test("`kill -9 -1` reaches no process of the same uid outside: a canary running as 65534 survives")
    func killEverything() async throws {
        try await UnprivilegedHost.with { host in
            let canary = try HostCommand.start("/usr/bin/setpriv", UnprivilegedHost.setprivOptions + ["/bin/sleep", "600"])
            var reaped = false
            defer {
                if !reaped {
                    kill(canary, SIGKILL)
                    HostCommand.reap(canary)
                }
            }
            try await SandboxFixture.hostUnaffected {
                let run = try await host.sandbox(["--profile", "sh", "--", "sh", "-c", "kill -9 -1; kill -9 \(canary) 2>&1; echo survived"])
                let result = try #require(run.result, "\(run)")
                #expect(result.outcome == .ok, "\(run)")
                #expect(SandboxFixture.text(result.stdout).contains("No such process"), "\(run)")
            }
            #expect(kill(canary, 0) == 0, "the canary outside was killed")
            kill(canary, SIGKILL)
            let status = HostCommand.reap(canary)
            reaped = true
            #expect(status & 0x7f == SIGKILL, "the canary died of something else: wait status \(status)")
        }
    }
}
