import Foundation
import Glibc
import Testing
import ToolhostCore

@testable import Sandbox

/// The real sandbox, as the tests use it: one shared instance (like a server has), a fresh workdir
/// per test, and the checks that the host was left as it was.
///
/// Runs go through one gate: a test that compares the host before and after (``hostUnaffected(sourceLocation:_:)``)
/// holds it for its whole body, so that no run of another test (swift-testing runs suites in
/// parallel) shows up as a leftover cgroup, process or descriptor in its snapshots.
enum SandboxFixture {
    static let shared: Sandbox = {
        do {
            return try Sandbox()
        } catch {
            fatalError("the sandbox cannot start: \(error)")
        }
    }()

    /// Runs `command` with `profile` and tight test limits; `configure` adjusts the request.
    static func run(_ profile: String, _ command: [String], _ configure: (inout SandboxRequest) -> Void = { _ in }) async throws -> SandboxResult {
        var request = SandboxRequest(profile: profile, command: command, limits: testLimits)
        configure(&request)
        let prepared = request
        return try await exclusive { try await shared.run(prepared) }
    }

    /// Runs a Python script with the system interpreter (`/usr/bin/python3`, the one the sandbox mounts).
    static func python(_ script: String, _ configure: (inout SandboxRequest) -> Void = { _ in }) async throws -> SandboxResult {
        try await run("python3", ["/usr/bin/python3", "-c", script], configure)
    }

    static var testLimits: SandboxLimits {
        var limits = shared.policy.defaults
        limits.memoryBytes = 128 << 20
        limits.pids = 32
        limits.cpuTimeMs = 2000
        limits.wallTimeMs = 5000
        limits.outputBytes = 64 << 10
        return limits
    }

    /// A fresh directory for a test's workdir, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("toolhost-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }

    /// A one-line account of a result for failure messages.
    static func describe(_ result: SandboxResult) -> String {
        let stderr = text(result.stderr.prefix(600))
        return "outcome \(result.outcome.rawValue), exit \(result.exitCode.map(String.init) ?? "-"), "
            + "signal \(result.signal.map(String.init) ?? "-"), "
            + "syscall \(result.syscall ?? "-"), detail \(result.detail ?? "-"), stdout \(text(result.stdout.prefix(300)).debugDescription), "
            + "stderr \(stderr.debugDescription), wall \(result.usage.wallMs) ms, cpu \(result.usage.cpuMs) ms"
    }

    // MARK: The gate

    /// Whether the current task already holds the gate (task-local, so the child tasks of a task group inherit it).
    @TaskLocal static var holdsGate = false
    static let gate = RunGate()

    /// Runs `body` while no other test of this process runs anything in the sandbox.
    static func exclusive<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        if holdsGate { return try await body() }
        await gate.acquire()
        do {
            let value = try await $holdsGate.withValue(true) { try await body() }
            await gate.release()
            return value
        } catch {
            await gate.release()
            throw error
        }
    }

    /// Runs `/usr/bin/true` once in each profile the first time it is called, so that what the shared
    /// sandbox keeps for its lifetime (the compiled seccomp program of each profile, in a memfd) exists
    /// before any snapshot and is not mistaken for a leak; likewise the timer descriptor that the
    /// concurrency runtime opens for the first `Task.sleep`.
    private static func warmUp() async throws {
        guard await gate.claimWarmUp() else { return }
        try await Task.sleep(for: .milliseconds(1))
        for profile in shared.policy.profiles.keys.sorted() {
            let result = try await shared.run(SandboxRequest(profile: profile, command: ["/usr/bin/true"], limits: testLimits))
            #expect(result.outcome == .ok, "warming up \(profile): \(result.outcome.rawValue) \(result.detail ?? "")")
        }
    }

    /// Runs `body` alone and then checks that the host is as it was: no cgroup, process, SysV object,
    /// descriptor, zombie or temporary file left behind (see ``HostSnapshot/growth(since:)``).
    static func hostUnaffected(sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void) async throws {
        try await exclusive {
            try await warmUp()
            let before = HostSnapshot.take()
            try await body()
            let after = await HostSnapshot.settled(since: before)
            let growth = after.growth(since: before)
            #expect(growth.isEmpty, "the host changed: \(growth.joined(separator: "; "))", sourceLocation: sourceLocation)
        }
    }
}

/// A first-come, first-served async lock (an actor, because waiting must not block a thread of the
/// cooperative pool while a sandbox run that the holder awaits needs one).
actor RunGate {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private var warmedUp = false

    /// True exactly once: for the caller that is to warm the shared sandbox up.
    func claimWarmUp() -> Bool {
        defer { warmedUp = true }
        return !warmedUp
    }

    func release() {
        if waiting.isEmpty {
            busy = false
        } else {
            waiting.removeFirst().resume()
        }
    }
}

/// What "the host is unaffected" means, measured before and after a run.
struct HostSnapshot: Equatable, CustomStringConvertible {
    /// Per-run cgroups under the sandbox parents.
    var cgroups: [String]
    /// Processes whose cgroup is a sandbox run's (anything left of a run).
    var sandboxProcesses: [String]
    /// SysV IPC objects of the machine.
    var sysvObjects: [String]
    /// This process's open descriptors.
    var descriptorCount: Int
    /// Children of this process that were not reaped (zombies).
    var zombies: [String]
    /// Names in the host's temporary directory (where the supervisor makes its per-run workdirs).
    var temporaryEntries: Set<String> = []
    /// Names in the host's `/dev/shm`.
    var sharedMemoryEntries: Set<String> = []

    /// Names that other tests of this process make in the temporary directory while a test runs.
    static let foreignTemporaryPrefixes = [
        "toolhost-test-", "toolhost-policy-", "toolhost-catalog-", "toolhost-tools-", "toolhost-cli-", "toolhost-unpriv-",
    ]

    /// The host uids a sandboxed program's files get: the policy's host identity under a root
    /// supervisor, and the unprivileged tests' own user.
    static var sandboxOwners: Set<uid_t> { [uid_t(SandboxFixture.shared.policy.hostIdentity.uid), UnprivilegedHost.uid] }

    /// Whether a new entry of /tmp or /dev/shm may come from the sandbox: the supervisor's per-run
    /// workdirs and the markers of the attacks are named `toolhost-*`, and whatever a program could
    /// leave on the host belongs to the sandbox's host uid. Entries of other processes on the machine
    /// (builds, shells, other suites) are neither, and are not counted.
    static func fromSandbox(_ name: String, in directory: String) -> Bool {
        if name.hasPrefix("toolhost-") { return !foreignTemporaryPrefixes.contains { name.hasPrefix($0) } }
        var info = stat()
        return lstat("\(directory)/\(name)", &info) == 0 && sandboxOwners.contains(info.st_uid)
    }

    static func take() -> HostSnapshot {
        var cgroups: [String] = []
        for controller in ["memory", "pids", "cpuacct"] {
            cgroups += findRunDirectories(under: "/sys/fs/cgroup/\(controller)")
        }
        if FileManager.default.fileExists(atPath: "/sys/fs/cgroup/cgroup.controllers") {
            cgroups += findRunDirectories(under: "/sys/fs/cgroup")
        }
        var processes: [String] = []
        var zombies: [String] = []
        let me = getpid()
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] where Int32(entry) != nil {
            if let membership = try? String(contentsOfFile: "/proc/\(entry)/cgroup", encoding: .utf8), membership.contains("/run-") {
                processes.append(entry)
            }
            if let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8) {
                let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
                if fields.count > 2, fields[0] == "Z", Int32(fields[1]) == me { zombies.append(entry) }
            }
        }
        let sysv = ["shm", "msg", "sem"].flatMap { kind -> [String] in
            let lines = ((try? String(contentsOfFile: "/proc/sysvipc/\(kind)", encoding: .utf8)) ?? "").split(separator: "\n").dropFirst()
            return lines.map { "\(kind): \($0)" }
        }
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? -1
        return HostSnapshot(
            cgroups: Array(Set(cgroups)).sorted(), sandboxProcesses: processes, sysvObjects: sysv, descriptorCount: descriptors, zombies: zombies,
            temporaryEntries: Set((try? FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)) ?? []),
            sharedMemoryEntries: Set((try? FileManager.default.contentsOfDirectory(atPath: "/dev/shm")) ?? []))
    }

    /// What is here now and was not `before`: each item says what leaked. Descriptors count as grown
    /// only when there are more than before (tests elsewhere in the process open and close their own).
    func growth(since before: HostSnapshot) -> [String] {
        var found: [String] = []
        let newCgroups = Set(cgroups).subtracting(before.cgroups)
        if !newCgroups.isEmpty { found.append("cgroups left: \(newCgroups.sorted())") }
        let newProcesses = Set(sandboxProcesses).subtracting(before.sandboxProcesses)
        if !newProcesses.isEmpty { found.append("processes left in run cgroups: \(newProcesses.sorted().map(Self.describeProcess))") }
        let newSysv = Set(sysvObjects).subtracting(before.sysvObjects)
        if !newSysv.isEmpty { found.append("SysV objects created: \(newSysv.sorted())") }
        if descriptorCount > before.descriptorCount {
            found.append("descriptors: \(before.descriptorCount) → \(descriptorCount) (\(Self.describeDescriptors()))")
        }
        let newZombies = Set(zombies).subtracting(before.zombies)
        if !newZombies.isEmpty { found.append("zombies: \(newZombies.sorted())") }
        let temporary = FileManager.default.temporaryDirectory.path
        let newTemporary = temporaryEntries.subtracting(before.temporaryEntries).filter { Self.fromSandbox($0, in: temporary) }
        if !newTemporary.isEmpty { found.append("new in \(temporary): \(newTemporary.sorted())") }
        let newShared = sharedMemoryEntries.subtracting(before.sharedMemoryEntries).filter { Self.fromSandbox($0, in: "/dev/shm") }
        if !newShared.isEmpty { found.append("new in /dev/shm: \(newShared.sorted())") }
        return found
    }

    /// A snapshot that shows no growth since `before`, or the last one taken when `timeout` seconds
    /// pass first: descriptors and zombies of other tests, and a cgroup that the kernel is still
    /// tearing down, come and go within moments; what the sandbox leaked stays.
    static func settled(since before: HostSnapshot, timeout: Double = 3) async -> HostSnapshot {
        let deadline = Monotonic.now + timeout
        var snapshot = take()
        while !snapshot.growth(since: before).isEmpty, Monotonic.now < deadline {
            // Not Task.sleep: the concurrency runtime may open a timer descriptor for it the first
            // time at this priority, which would then count as a leak of the run being checked.
            usleep(50_000)
            snapshot = take()
        }
        return snapshot
    }

    private static func describeProcess(_ pid: String) -> String {
        let command = (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8))?.replacingOccurrences(of: "\0", with: " ") ?? "?"
        return "\(pid) \(command.trimmingCharacters(in: .whitespaces))"
    }

    /// What this process's descriptors point at, counted by kind (`pipe`, `anon_inode:[pidfd]`, paths…).
    static func describeDescriptors() -> String {
        var kinds: [String: Int] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? [] {
            let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(entry)")) ?? "?"
            let kind = target.hasPrefix("pipe:") ? "pipe" : target.hasPrefix("socket:") ? "socket" : target
            kinds[kind, default: 0] += 1
        }
        return kinds.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: ", ")
    }

    private static func findRunDirectories(under root: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        var found: [String] = []
        while let path = enumerator.nextObject() as? String {
            let name = (path as NSString).lastPathComponent
            if name.hasPrefix("run-") { found.append(root + "/" + path); enumerator.skipDescendants() }
            if name.contains(".") { enumerator.skipDescendants() }
        }
        return found
    }

    var description: String {
        "cgroups: \(cgroups), processes: \(sandboxProcesses), sysv: \(sysvObjects), fds: \(descriptorCount), zombies: \(zombies)"
    }
}
