import Foundation

/// What to run in the sandbox and with which limits.
///
/// ```swift
/// var request = SandboxRequest(profile: "python3", command: ["python3", "-c", "print(1)"])
/// request.limits.memoryBytes = 128 << 20
/// let result = try await sandbox.run(request)
/// ```
public struct SandboxRequest: Sendable {
    /// Network access: none (a private network namespace with no interfaces) or the host's.
    public enum Network: String, Sendable, Hashable, Codable, CaseIterable {
        case none, host
    }

    /// The seccomp profile, a file name in `Sandbox/profiles/` (`python3`, `sh`, `node`, `exec`).
    public var profile: String
    /// The program and its arguments; a bare program name is looked up in the sandbox's PATH.
    public var command: [String]
    /// A host directory bound writable at `/work` (the working directory inside); nil for a fresh
    /// empty one that is removed afterwards.
    public var workdir: URL?
    /// What the workdir may hold (nil: no quota). The run is measured every few hundred
    /// milliseconds and once more at its end, and no file may grow past what is left (RLIMIT_FSIZE):
    /// a run that takes the workdir past the quota ends as `workspace_quota`. A run may start in a
    /// workdir already over it, so that it can remove files, and fails only if it adds to them.
    public var workdirQuota: WorkspaceQuota?
    public var network: Network = .none
    /// What the run may execute: `.any` program and processes (the default), or `.only(files)`:
    /// no process but the first (threads are fine; fork, vfork and clone of a process end the run
    /// as `syscall_blocked`) and no executable but `files`, inside paths (the program, its ELF and
    /// `#!` interpreters), enforced with Landlock. A host without Landlock fails such a run closed.
    public var programs: Programs = .any

    /// See ``programs``.
    public enum Programs: Sendable, Hashable {
        case any
        case only([String])
    }
    public var limits: SandboxLimits
    /// More host paths bound read-only, at the same path inside unless mapped (a tool package at `/pkg`).
    public var readOnlyBinds: [ReadOnlyBind] = []
    /// Variables added to the sandbox's fixed environment; nothing else of the host's environment passes.
    public var environment: [String: String] = [:]
    /// Bytes given on standard input (nil: /dev/null).
    public var stdin: Data?
    /// Whether to list the files the program left in the workdir in the result.
    public var collectFiles = false

    /// A read-only bind of a host path.
    public struct ReadOnlyBind: Sendable, Hashable {
        public var hostPath: String
        public var sandboxPath: String

        public init(hostPath: String, sandboxPath: String? = nil) {
            self.hostPath = hostPath
            self.sandboxPath = sandboxPath ?? hostPath
        }
    }

    public init(profile: String, command: [String], limits: SandboxLimits = SandboxPolicy.fallbackDefaults) {
        self.profile = profile
        self.command = command
        self.limits = limits
    }
}
