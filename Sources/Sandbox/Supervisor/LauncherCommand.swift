import Foundation
import ToolhostCore

/// The command line of `toolhost-sandbox` for one run: the whole policy of the run, spelled out.
struct LauncherCommand {
    /// The descriptor numbers the launcher finds its status pipe and seccomp program at.
    static let statusDescriptor: Int32 = 3
    static let seccompDescriptor: Int32 = 4

    var arguments: [String]

    /// The size of the command line as a prewarmed launcher's request (NUL-terminated words).
    var requestBytes: Int { arguments.reduce(0) { $0 + $1.utf8.count + 1 } }

    /// - Throws: ``ToolhostError`` `invalid_input` for a path the launcher's `SRC:DST` syntax cannot carry.
    init(request: SandboxRequest, policy: SandboxPolicy, workdir: String?, cgroupPaths: [String], hostIdentity: SandboxPolicy.HostIdentity?) throws(ToolhostError) {
        var arguments = [
            "--status-fd", String(Self.statusDescriptor), "--seccomp-fd", String(Self.seccompDescriptor), "--die-with-parent",
            "--net", request.network.rawValue, "--chdir", policy.mounts.workdir,
        ]
        for path in cgroupPaths { arguments += ["--cgroup", path] }
        if let hostIdentity { arguments += ["--map-uid", String(hostIdentity.uid), "--map-gid", String(hostIdentity.gid)] }
        var readOnly = policy.mounts.readOnly.map { SandboxRequest.ReadOnlyBind(hostPath: $0) }
        let optional = policy.mounts.readOnlyIfPresent + (request.network == .host ? policy.mounts.networkOnly : [])
        readOnly += optional.filter { FileManager.default.fileExists(atPath: $0) }.map { SandboxRequest.ReadOnlyBind(hostPath: $0) }
        readOnly += request.readOnlyBinds
        for bind in readOnly {
            arguments += ["--bind-ro", try Self.pair(bind.hostPath, bind.sandboxPath)]
        }
        if let workdir {
            arguments += ["--bind-rw", try Self.pair(workdir, policy.mounts.workdir)]
        }
        for (path, target) in policy.mounts.symlinks.sorted(by: { $0.key < $1.key }) {
            arguments += ["--symlink", "\(target):\(path)"]
        }
        if case .only(let files) = request.programs {
            for file in files { arguments += ["--exec-only", file] }
        }
        let limits = request.limits
        arguments += ["--tmpfs", "/tmp:\(limits.tmpBytes)", "--tmpfs", "/dev/shm:\(limits.shmBytes)"]
        if workdir == nil { arguments += ["--tmpfs", "\(policy.mounts.workdir):\(limits.tmpBytes)"] }
        let environment = policy.environment.merging(request.environment) { _, requested in requested }
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) {
            arguments += ["--env", "\(name)=\(value)"]
        }
        // The cgroup's CPU accounting is the real limit; the rlimit is a per-process backstop that
        // works even if polling is late (SIGXCPU at the soft limit, SIGKILL a second later).
        let cpuSeconds = max(1, (limits.cpuTimeMs + 999) / 1000)
        arguments += [
            "--rlimit", "cpu=\(cpuSeconds):\(cpuSeconds + 1)",
            "--rlimit", "fsize=\(limits.fileSizeBytes)",
            "--rlimit", "nofile=\(limits.openFiles)",
            "--rlimit", "core=0",
        ]
        arguments.append("--")
        arguments += request.command
        self.arguments = arguments
    }

    private static func pair(_ host: String, _ inside: String) throws(ToolhostError) -> String {
        for path in [host, inside] where path.contains(":") || path.isEmpty {
            throw ToolhostError(.invalidInput, "sandbox path \"\(path)\" must be non-empty and may not contain ':'")
        }
        guard inside.hasPrefix("/") else {
            throw ToolhostError(.invalidInput, "sandbox path \"\(inside)\" must be absolute")
        }
        return "\(host):\(inside)"
    }
}
