import Dispatch
import Foundation
import Glibc
import Synchronization
import ToolhostCore

/// Runs programs in the seccomp + namespace sandbox.
///
/// One instance serves many concurrent runs: seccomp programs are compiled once per profile and
/// network mode, and cgroups left behind by a crashed supervisor are swept when it is created.
/// ```swift
/// let sandbox = try Sandbox()
/// let result = try await sandbox.run(SandboxRequest(profile: "python3", command: ["python3", "-c", "print(1)"]))
/// ```
public final class Sandbox: Sendable {
    public let policy: SandboxPolicy
    /// The `toolhost-sandbox` executable.
    public let launcherPath: String
    let cgroups: any CgroupDriver
    /// Launchers started ahead of time, when asked for.
    let launchers: PrewarmedLaunchers?
    /// Compiled filters by profile and network mode. A Mutex because runs on many threads share it.
    private let filters = Mutex<[String: SeccompFilter]>([:])
    /// Runs answered but not yet torn down.
    private let teardowns = PendingWork()

    /// Where runs are supervised: a thread per run up to 64 at once, reused; more runs wait for a
    /// thread. The launcher dies with the thread that started it, which is safe here: the pool's
    /// threads never end, and each is busy with its run until the run is over.
    private static let supervisors = BlockingPool(name: "toolhost-supervisor", maximumThreads: 64)

    /// The environment variable that names the launcher executable.
    public static let launcherVariable = "TOOLHOST_SANDBOX_LAUNCHER"

    /// - Parameters:
    ///   - policy: the policy; by default read from `Sandbox/`.
    ///   - launcherPath: the launcher; by default `$TOOLHOST_SANDBOX_LAUNCHER` or the
    ///     `toolhost-sandbox` next to the running executable.
    /// - Throws: ``ToolhostError`` when the policy cannot be read or the launcher is missing.
    ///   - prewarmedCgroups: how many run cgroups to keep created ahead of time; worth it for
    ///     long-lived supervisors such as the server, where it takes cgroup creation off each
    ///     run's critical path (call ``shutdown()`` to remove the idle ones).
    ///   - prewarmedLaunchers: how many launchers to keep started ahead of time, each already in the
    ///     cgroups of its future run (see ``PrewarmedLaunchers``); for long-lived supervisors.
    public init(policy: SandboxPolicy? = nil, launcherPath: String? = nil, prewarmedCgroups: Int = 0, prewarmedLaunchers: Int = 0) throws(ToolhostError) {
        if let policy {
            self.policy = policy
        } else {
            self.policy = try SandboxPolicy.load()
        }
        guard let launcher = launcherPath ?? Self.locateLauncher() else {
            throw ToolhostError(.storage, "cannot find the toolhost-sandbox launcher; build it (swift build) or set \(Self.launcherVariable)")
        }
        self.launcherPath = launcher
        let detected = Cgroups.detect()
        detected.sweep()
        cgroups = prewarmedCgroups > 0
            ? PrewarmedCgroups(base: detected, target: prewarmedCgroups, defaults: self.policy.defaults) : detected
        launchers = prewarmedLaunchers > 0
            ? PrewarmedLaunchers(launcher: launcher, target: prewarmedLaunchers, cgroups: detected, defaults: self.policy.defaults) : nil
    }

    /// Removes the cgroups kept ready for future runs. Call ``quiesce()`` first when runs may
    /// have just finished.
    public func shutdown() {
        (cgroups as? PrewarmedCgroups)?.drain()
        launchers?.shutdown()
    }

    /// Runs `request` and returns how it ended. Failures of the sandbox itself are results
    /// (`setup_failed`), never thrown: the caller always learns what happened.
    /// - Throws: ``ToolhostError`` `invalid_input` for a request that cannot be run as asked
    ///   (unknown profile, empty command, a limit that is not positive, a workdir that is not a directory).
    public func run(_ request: SandboxRequest) async throws(ToolhostError) -> SandboxResult {
        var prepared = try prepare(request)
        let cancellation = RunCancellation()
        prepared.cancellation = cancellation
        let run = prepared
        // Supervision blocks in poll(2) for the whole run, so it runs on a supervisor thread and
        // never on Swift's cooperative pool.
        // Cancelling the calling task kills the run (outcome `cancelled`); the result still comes back.
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                Self.supervisors.submit {
                    let (result, teardown) = self.supervise(run)
                    guard let teardown else {
                        continuation.resume(returning: result)
                        return
                    }
                    self.teardowns.begin()
                    continuation.resume(returning: result)
                    teardown.finish()
                    self.teardowns.end()
                }
            }
        } onCancel: {
            cancellation.cancel()
        }
    }

    /// Waits until every finished run has been torn down: its namespaces gone, its launcher reaped,
    /// its cgroup removed. ``run(_:)`` answers before that for runs without a host workdir; call
    /// this before the process exits or when the host must be quiet (tests, shutdown).
    public func quiesce() async {
        await teardowns.waitUntilIdle()
    }

    /// A validated request with its filter and resolved workdir.
    struct PreparedRun: @unchecked Sendable {
        var request: SandboxRequest
        var filter: SeccompFilter
        var workdir: String?
        var cancellation: RunCancellation?
    }

    private func prepare(_ request: SandboxRequest) throws(ToolhostError) -> PreparedRun {
        guard let profile = policy.profiles[request.profile] else {
            throw ToolhostError(.invalidInput, "unknown sandbox profile \"\(request.profile)\"; known: \(policy.profiles.keys.sorted().joined(separator: ", "))")
        }
        guard let program = request.command.first, !program.isEmpty else {
            throw ToolhostError(.invalidInput, "the sandbox needs a command to run")
        }
        if let bad = request.limits.firstInvalidLimit {
            throw ToolhostError(.invalidInput, "sandbox limit \(bad) must be positive")
        }
        for name in request.environment.keys where name.isEmpty || name.contains("=") {
            throw ToolhostError(.invalidInput, "environment variable name \"\(name)\" is not valid")
        }
        var workdir: String?
        if let requested = request.workdir {
            var isDirectory: ObjCBool = false
            let path = requested.standardizedFileURL.resolvingSymlinksInPath().path
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ToolhostError(.invalidInput, "workdir \(requested.path) is not a directory")
            }
            workdir = path
        }
        if case .only(let files) = request.programs, files.isEmpty || files.contains(where: { !$0.hasPrefix("/") }) {
            throw ToolhostError(.invalidInput, "programs: the files that may be executed must be absolute paths, and at least one")
        }
        let filter = try filter(for: profile, network: request.network, processes: request.programs == .any)
        return PreparedRun(request: request, filter: filter, workdir: workdir)
    }

    private func filter(for profile: SeccompProfile, network: SandboxRequest.Network, processes: Bool) throws(ToolhostError) -> SeccompFilter {
        let key = "\(profile.name)/\(network.rawValue)/\(processes ? "processes" : "threads")"
        if let cached = filters.withLock({ $0[key] }) { return cached }
        let compiled = try SeccompFilter.compile(profile, network: network, processes: processes)
        return filters.withLock { cache in
            if let raced = cache[key] { return raced }
            cache[key] = compiled
            return compiled
        }
    }

    static func locateLauncher(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let configured = environment[launcherVariable], !configured.isEmpty { return configured }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        let sourceTree = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [
            executable.deletingLastPathComponent().appendingPathComponent("toolhost-sandbox").path,
            sourceTree.appendingPathComponent(".build/debug/toolhost-sandbox").path,
            sourceTree.appendingPathComponent(".build/release/toolhost-sandbox").path,
        ]
        return candidates.first { access($0, X_OK) == 0 }
    }
}
