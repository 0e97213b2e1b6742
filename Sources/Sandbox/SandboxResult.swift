import Foundation
import ToolhostCore

/// How a sandboxed run ended, in a fixed vocabulary.
public enum SandboxOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    case ok
    case exitNonzero = "exit_nonzero"
    case killedSignal = "killed_signal"
    case syscallBlocked = "syscall_blocked"
    case memoryLimit = "memory_limit"
    case pidsLimit = "pids_limit"
    case cpuTimeLimit = "cpu_time_limit"
    case wallTimeLimit = "wall_time_limit"
    case outputLimit = "output_limit"
    case fileSizeLimit = "file_size_limit"
    /// The run took its workdir past the request's ``WorkspaceQuota``.
    case workspaceQuota = "workspace_quota"
    /// The calling task was cancelled (its caller went away); the run's processes were killed.
    case cancelled
    case setupFailed = "setup_failed"
}

/// What a sandboxed run did: one outcome, the program's output and what it used.
public struct SandboxResult: Sendable, Hashable, Codable {
    /// Resources the run used.
    public typealias Usage = ResourceUsage

    /// A file the program left in the workdir (regular files only; links are listed, never followed).
    public struct OutputFile: Sendable, Hashable, Codable {
        public var path: String
        public var size: Int
        public var isSymlink: Bool
    }

    public var outcome: SandboxOutcome
    public var exitCode: Int?
    public var signal: Int?
    /// The blocked system call's name, for `syscall_blocked`.
    public var syscall: String?
    /// For `setup_failed`: the stage and the errno; for limits: which limit and its value.
    public var detail: String?
    public var stdout: Data
    public var stderr: Data
    public var stdoutTruncated: Bool
    public var stderrTruncated: Bool
    public var usage: Usage
    public var files: [OutputFile]?

    /// Whether the program ran and exited 0 within every limit.
    public var isSuccess: Bool { outcome == .ok }
}

extension SandboxResult {
    private enum CodingKeys: String, CodingKey {
        case outcome, exitCode, signal, syscall, detail, stdout, stderr, stdoutTruncated, stderrTruncated, usage, files
    }

    /// Encodes stdout and stderr as text (invalid UTF-8 replaced), as the CLI prints them.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(exitCode, forKey: .exitCode)
        try container.encode(signal, forKey: .signal)
        try container.encode(syscall, forKey: .syscall)
        try container.encodeIfPresent(detail, forKey: .detail)
        try container.encode(String(decoding: stdout, as: UTF8.self), forKey: .stdout)
        try container.encode(String(decoding: stderr, as: UTF8.self), forKey: .stderr)
        try container.encode(stdoutTruncated, forKey: .stdoutTruncated)
        try container.encode(stderrTruncated, forKey: .stderrTruncated)
        try container.encode(usage, forKey: .usage)
        try container.encodeIfPresent(files, forKey: .files)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        outcome = try container.decode(SandboxOutcome.self, forKey: .outcome)
        exitCode = try container.decodeIfPresent(Int.self, forKey: .exitCode)
        signal = try container.decodeIfPresent(Int.self, forKey: .signal)
        syscall = try container.decodeIfPresent(String.self, forKey: .syscall)
        detail = try container.decodeIfPresent(String.self, forKey: .detail)
        stdout = Data(try container.decode(String.self, forKey: .stdout).utf8)
        stderr = Data(try container.decode(String.self, forKey: .stderr).utf8)
        stdoutTruncated = try container.decode(Bool.self, forKey: .stdoutTruncated)
        stderrTruncated = try container.decode(Bool.self, forKey: .stderrTruncated)
        usage = try container.decode(Usage.self, forKey: .usage)
        files = try container.decodeIfPresent([OutputFile].self, forKey: .files)
    }
}
