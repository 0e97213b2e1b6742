import Foundation
import Glibc
import Testing
import ToolhostCore

@testable import Sandbox

/// The same sandbox started by an unprivileged user (uid 65534), as an operator without root runs it:
/// the real `toolhost` CLI under `setpriv`, with a cgroup parent delegated to that user. Limits and
/// the seccomp filter must hold exactly as they do for root.
@Suite(
    "The sandbox run by an unprivileged user", .serialized,
    .enabled(if: UnprivilegedHost.isSupported, "needs root (to delegate a cgroup), cgroup v1 and setpriv"))
struct UnprivilegedTests {
    @Test("python3 prints 1 as uid 65534, which is what the sandbox's uid 1000 maps to")
    func pythonPrints() async throws {
        try await UnprivilegedHost.with { host in
            try await SandboxFixture.hostUnaffected {
                let run = try await host.sandbox(["--profile", "python3", "--", "/usr/bin/python3", "-c",
                                                  "print(1); print(open('/proc/self/uid_map').read().split())"])
                #expect(run.exitCode == 0, "\(run)")
                #expect(run.result?.outcome == .ok)
                #expect(run.result.map { SandboxFixture.text($0.stdout) } == "1\n['1000', '65534', '1']\n")
            }
        }
    }

    @Test("without a delegated cgroup the run fails closed, and the message says what is missing and how to delegate one")
    func undelegatedCgroup() async throws {
        try await UnprivilegedHost.with { host in
            let run = try await host.sandbox(["--profile", "sh", "--", "/bin/true"], cgroupParent: "/toolhost-not-delegated")
            #expect(run.exitCode == 125, "\(run)")
            #expect(run.result?.outcome == .setupFailed, "\(run)")
            let detail = run.result?.detail ?? ""
            #expect(detail.contains("/sys/fs/cgroup/memory/toolhost-not-delegated: Permission denied"), "\(detail)")
            #expect(detail.contains("uid 65534 may not create one there"), "\(detail)")
            #expect(detail.contains("chown -R 65534 /sys/fs/cgroup/$c/toolhost"), "\(detail)")
            #expect(detail.contains("TOOLHOST_CGROUP_PARENT=/toolhost"), "\(detail)")
        }
    }

    @Test("`toolhost doctor` names an undelegated cgroup as the missing piece, with the fix, and exits 1")
    func doctorWithoutCgroup() async throws {
        try await UnprivilegedHost.with { host in
            let run = try await host.toolhost(["doctor", "--json", "--server", "http://127.0.0.1:1"], cgroupParent: "/toolhost-not-delegated")
            #expect(run.exitCode == 1, "\(run)")
            let report = try JSONValue(parsing: run.output.stdout)
            let checks = report["checks"]?.arrayValue ?? []
            let cgroups = checks.first { $0["name"] == "cgroups" }
            #expect(cgroups?["status"] == "failed", "\(run)")
            #expect(cgroups?["fix"]?.stringValue?.contains("chown -R 65534 /sys/fs/cgroup/$c/toolhost") == true, "\(run)")
            #expect(checks.first { $0["name"] == "sandboxed run" }?["status"] == "failed", "\(run)")
            #expect(checks.first { $0["name"] == "user namespaces" }?["status"] == "ok", "\(run)")
        }
        try await UnprivilegedHost.with { host in
            let run = try await host.toolhost(["doctor", "--json", "--server", "http://127.0.0.1:1"])
            #expect(run.exitCode == 0, "\(run)")
        }
    }

    @Test("python_exec and a packaged tool work with the data directory under a 0700 parent of this user's")
    func privateParent() async throws {
        try await UnprivilegedHost.with { host in
            let data = try host.privateDirectory().appendingPathComponent("data")
            let run = try await host.toolhost(["call", "python_exec", "--data-dir", data.path, "--input", #"{"code": "print(6 * 7)"}"#, "--json"])
            #expect(run.exitCode == 0, "\(run)")
            let output = try? JSONValue(parsing: run.output.stdout)
            #expect(output?["output"]?["stdout"] == "42\n", "\(run)")
            // `toolhost run` publishes the package into a scratch data directory below TMPDIR.
            let package = try host.privateDirectory().appendingPathComponent("greeter").path
            let created = try await host.toolhost(["init", package])
            #expect(created.exitCode == 0, "\(created)")
            let packaged = try await host.toolhost(["run", package, "--input", #"{"name": "Ada"}"#, "--json"],
                                                   hostEnvironment: ["TMPDIR": try host.privateDirectory().path])
            #expect(packaged.exitCode == 0, "\(packaged)")
            #expect((try? JSONValue(parsing: packaged.output.stdout))?["output"] == ["greeting": "Hello, Ada!"], "\(packaged)")
        }
    }

    @Test("ptrace is blocked by name")
    func ptrace() async throws {
        try await UnprivilegedHost.with { host in
            try await SandboxFixture.hostUnaffected {
                let run = try await host.sandbox(["--profile", "python3", "--", "/usr/bin/python3", "-c",
                                                  "import ctypes; print('returned', ctypes.CDLL(None).ptrace(16, 1, 0, 0))"])
                #expect(run.exitCode == 124, "\(run)")
                #expect(run.result?.outcome == .syscallBlocked)
                #expect(run.result?.syscall == "ptrace")
            }
        }
    }

    @Test("a fork bomb ends as pids_limit")
    func forkBomb() async throws {
        try await UnprivilegedHost.with { host in
            try await SandboxFixture.hostUnaffected {
                let run = try await host.sandbox(["--profile", "sh", "--pids", "16", "--wall-time", "2500ms", "--cpu-time", "30s", "--",
                                                  "sh", "-c", "exec 2>/dev/null; bomb() { bomb | bomb & }; bomb; sleep 30"])
                #expect(run.exitCode == 124, "\(run)")
                #expect(run.result?.outcome == .pidsLimit, "\(run)")
            }
        }
    }

    @Test("a memory hog ends as memory_limit")
    func memoryHog() async throws {
        try await UnprivilegedHost.with { host in
            try await SandboxFixture.hostUnaffected {
                let run = try await host.sandbox(["--profile", "python3", "--memory", "64M", "--", "/usr/bin/python3", "-c",
                                                  "x = [bytearray(1 << 20) for _ in range(10 * 1024)]"])
                #expect(run.exitCode == 124, "\(run)")
                #expect(run.result?.outcome == .memoryLimit, "\(run)")
            }
        }
    }

    @Test("writing to the workdir works, and the file belongs to uid 65534 on the host")
    func writeWorkdir() async throws {
        try await UnprivilegedHost.with { host in
            try await SandboxFixture.hostUnaffected {
                let run = try await host.sandbox(["--profile", "sh", "--workdir", host.workdir.path, "--", "sh", "-c", "echo hi > out.txt; id -u"])
                #expect(run.exitCode == 0, "\(run)")
                #expect(run.result?.outcome == .ok)
                #expect(run.result.map { SandboxFixture.text($0.stdout) } == "1000\n")
                let file = host.workdir.appendingPathComponent("out.txt")
                #expect(try String(contentsOf: file, encoding: .utf8) == "hi\n")
                #expect(Attack.hostStat(file.path)?.st_uid == UnprivilegedHost.uid)
            }
        }
    }
}

/// Everything an unprivileged `toolhost sandbox run` needs, set up by root and removed afterwards:
/// a cgroup parent per v1 controller owned by uid 65534, and a temporary folder holding copies of the
/// two executables and the `Sandbox/` and `Tools/` folders (the build may live where 65534 cannot
/// reach, such as under /root), a home and a workdir owned by 65534.
struct UnprivilegedHost {
    static let uid: uid_t = 65534
    static let cgroupName = "toolhost-unpriv-test"
    static let controllers = ["memory", "pids", "cpuacct"]

    static var isSupported: Bool {
        getuid() == 0 && !FileManager.default.fileExists(atPath: "/sys/fs/cgroup/cgroup.controllers")
            && controllers.allSatisfy { FileManager.default.fileExists(atPath: "/sys/fs/cgroup/\($0)") }
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
    }

    let root: URL
    var binaries: URL { root.appendingPathComponent("bin") }
    var home: URL { root.appendingPathComponent("home") }
    var workdir: URL { root.appendingPathComponent("work") }

    /// What one CLI run printed and how it exited, with the `--json` result when stdout held one.
    struct Run: Sendable, CustomStringConvertible {
        var output: HostCommand.Output
        var exitCode: Int32? { output.exitCode }
        var result: SandboxResult? { try? JSONDecoder().decode(SandboxResult.self, from: output.stdout) }
        var description: String { output.description }
    }

    /// Sets everything up, runs `body`, and removes it all again, also when `body` throws. All of it
    /// holds the fixture's gate: setting up starts processes, which must not overlap another test's snapshots.
    static func with(_ body: (UnprivilegedHost) async throws -> Void) async throws {
        try await SandboxFixture.exclusive { try await withoutGate(body) }
    }

    private static func withoutGate(_ body: (UnprivilegedHost) async throws -> Void) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("toolhost-unpriv-\(UUID().uuidString)")
        let host = UnprivilegedHost(root: root)
        defer {
            try? FileManager.default.removeItem(at: root)
            removeCgroups()
        }
        try host.prepare()
        // The harness itself: what runs under these setpriv options is uid 65534 with no capabilities.
        let identity = try await HostCommand.run("/usr/bin/setpriv", setprivOptions + ["/usr/bin/sh", "-c", "id -u; grep CapEff /proc/self/status"],
                                                 environment: ["PATH": "/usr/bin:/bin"])
        try #require(String(decoding: identity.stdout, as: UTF8.self) == "65534\nCapEff:\t0000000000000000\n", "\(identity)")
        try await body(host)
        // The delegated parents must hold no run's cgroup once the CLI is done.
        for controller in controllers {
            let left = (try? FileManager.default.contentsOfDirectory(atPath: parent(controller)))?.filter { $0.hasPrefix("run-") } ?? []
            #expect(left.isEmpty, "\(parent(controller)) still holds \(left)")
        }
    }

    /// uid and gid 65534, no supplementary groups, no inheritable capabilities.
    static let setprivOptions = ["--reuid=\(uid)", "--regid=\(uid)", "--clear-groups", "--inh-caps=-all"]

    static func parent(_ controller: String) -> String { "/sys/fs/cgroup/\(controller)/\(cgroupName)" }

    private func prepare() throws {
        let files = FileManager.default
        for directory in [root, binaries, home, workdir] {
            try files.createDirectory(at: directory, withIntermediateDirectories: true)
            guard chmod(directory.path, 0o755) == 0 else { throw POSIXError(.EPERM) }
        }
        for directory in [home, workdir] { try Self.chown(directory.path) }
        let toolhost = try #require(Self.locateToolhost(), "build the toolhost executable first (swift build)")
        let launcher = toolhost.deletingLastPathComponent().appendingPathComponent("toolhost-sandbox")
        try #require(files.isExecutableFile(atPath: launcher.path), "no toolhost-sandbox next to \(toolhost.path)")
        try files.copyItem(at: toolhost, to: binaries.appendingPathComponent("toolhost"))
        try files.copyItem(at: launcher, to: binaries.appendingPathComponent("toolhost-sandbox"))
        let sourceTree = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for folder in ["Sandbox", "Tools"] {
            try files.copyItem(at: sourceTree.appendingPathComponent(folder), to: root.appendingPathComponent(folder))
        }
        try Self.makeReadable(root.path)

        // A cgroup parent per controller that 65534 may create run cgroups in (v1 checks only
        // ownership of the files it writes: its own new directories and their cgroup.procs).
        for controller in Self.controllers {
            let parent = Self.parent(controller)
            guard mkdir(parent, 0o755) == 0 || errno == EEXIST else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            try Self.chown(parent)
            for file in try files.contentsOfDirectory(atPath: parent) { try Self.chown("\(parent)/\(file)") }
        }
    }

    private static func removeCgroups() {
        for controller in controllers {
            let parent = parent(controller)
            for child in (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? [] where child.hasPrefix("run-") {
                rmdir("\(parent)/\(child)")
            }
            rmdir(parent)
        }
    }

    /// `chmod -R a+rX`: everyone may read every file and enter every directory (and run what is executable).
    private static func makeReadable(_ path: String) throws {
        var paths = [path]
        if let enumerator = FileManager.default.enumerator(atPath: path) {
            while let relative = enumerator.nextObject() as? String { paths.append("\(path)/\(relative)") }
        }
        for path in paths {
            guard let info = Attack.hostStat(path), info.st_mode & S_IFMT != S_IFLNK else { continue }
            let executable = info.st_mode & S_IFMT == S_IFDIR || info.st_mode & 0o100 != 0
            guard chmod(path, (info.st_mode & 0o7777) | 0o444 | (executable ? 0o111 : 0)) == 0 else {
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
        }
    }

    /// A new directory of this user's, mode 0700 (as `mktemp -d` makes them).
    func privateDirectory() throws -> URL {
        let directory = home.appendingPathComponent("private-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
        guard chmod(directory.path, 0o700) == 0 else { throw POSIXError(.EPERM) }
        try Self.chown(directory.path)
        return directory
    }

    private static func chown(_ path: String) throws {
        guard Glibc.chown(path, uid, uid) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    /// The built `toolhost`, found as Tests/ToolhostCLITests/CLIRunner.swift finds it.
    static func locateToolhost() -> URL? {
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("toolhost"),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("toolhost"),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent(".build/debug/toolhost"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// Runs `toolhost sandbox run --json ARGUMENTS` as uid/gid 65534 with no groups and no inheritable
    /// capabilities, in its home directory (`env -C`, after the switch, so that it needs no access to
    /// the test's own working directory).
    func sandbox(_ arguments: [String], hostEnvironment: [String: String] = [:], cgroupParent: String? = nil) async throws -> Run {
        try await toolhost(["sandbox", "run", "--json"] + arguments, hostEnvironment: hostEnvironment, cgroupParent: cgroupParent)
    }

    /// Runs `toolhost ARGUMENTS` as uid/gid 65534 (see ``sandbox(_:hostEnvironment:cgroupParent:)``).
    func toolhost(_ arguments: [String], hostEnvironment: [String: String] = [:], cgroupParent: String? = nil) async throws -> Run {
        let toolhost = binaries.appendingPathComponent("toolhost").path
        let command = Self.setprivOptions + ["/usr/bin/env", "-C", home.path, toolhost] + arguments
        let environment = [
            "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": home.path, "TOOLHOST_DATA": home.appendingPathComponent("data").path,
            "TOOLHOST_CGROUP_PARENT": cgroupParent ?? "/\(Self.cgroupName)",
            "TOOLHOST_SANDBOX_DIR": root.appendingPathComponent("Sandbox").path,
            "TOOLHOST_TOOLS_DIR": root.appendingPathComponent("Tools").path,
            "TOOLHOST_SANDBOX_LAUNCHER": binaries.appendingPathComponent("toolhost-sandbox").path,
        ].merging(hostEnvironment) { ours, _ in ours }
        var output = try await HostCommand.run("/usr/bin/setpriv", command, environment: environment)
        // The binaries were copied a moment ago: a child another test forked meanwhile inherits the
        // copy's write descriptor until its own exec, and exec of the copy then fails with ETXTBSY.
        // That is the test harness racing itself, not the sandbox, so wait it out.
        for _ in 0..<20 where output.exitCode == 126 && String(decoding: output.stderr, as: UTF8.self).contains("Text file busy") {
            try await Task.sleep(for: .milliseconds(100))
            output = try await HostCommand.run("/usr/bin/setpriv", command, environment: environment)
        }
        return Run(output: output)
    }
}
