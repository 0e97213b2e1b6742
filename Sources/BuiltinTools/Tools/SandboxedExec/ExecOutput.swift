import Foundation
import Sandbox
import ToolhostCore

/// The exec tools' output (their shared `outputSchema`) for a sandboxed run.
enum ExecOutput {
    /// The output object: outcome, exit code, signal name, the two streams as text (invalid UTF-8
    /// replaced by U+FFFD), the truncation flags, usage, and for other outcomes than `ok` and
    /// `exit_nonzero` a message naming the limit that applied or the stage that failed.
    static func json(for result: SandboxResult, limits: SandboxLimits) -> JSONValue {
        var output: [String: JSONValue] = [
            "outcome": .string(result.outcome.rawValue),
            "exitCode": result.exitCode.map { .int($0) } ?? .null,
            "signal": result.signal.map { .string(SignalNames.name(of: $0)) } ?? .null,
            "stdout": .string(String(decoding: result.stdout, as: UTF8.self)),
            "stderr": .string(String(decoding: result.stderr, as: UTF8.self)),
            "stdoutTruncated": .bool(result.stdoutTruncated),
            "stderrTruncated": .bool(result.stderrTruncated),
            "usage": [
                "wallMs": .double(result.usage.wallMs),
                "cpuMs": .double(result.usage.cpuMs),
                "peakMemoryBytes": .int(result.usage.peakMemoryBytes),
            ],
        ]
        if let syscall = result.syscall { output["blockedSyscall"] = .string(syscall) }
        if let message = message(for: result, limits: limits) { output["message"] = .string(message) }
        return .object(output)
    }

    /// Why the run ended, for every outcome but the program's own exit.
    static func message(for result: SandboxResult, limits: SandboxLimits) -> String? {
        switch result.outcome {
        case .ok, .exitNonzero:
            nil
        case .killedSignal:
            "the program was killed by \(result.signal.map(SignalNames.name(of:)) ?? "a signal")"
        case .syscallBlocked:
            if let syscall = result.syscall {
                "the sandbox's seccomp policy stopped the forbidden system call \(syscall) (no network, no new namespaces, no tracing)"
            } else {
                "the sandbox's seccomp policy stopped the program: \(result.detail ?? "a forbidden system call")"
            }
        case .memoryLimit:
            "the process tree reached the memory limit of \(limits.memoryBytes) bytes and was killed"
        case .pidsLimit:
            "the process tree reached the limit of \(limits.pids) processes and threads"
        case .cpuTimeLimit:
            "the process tree used up the CPU time limit of \(limits.cpuTimeMs) ms and was killed"
        case .wallTimeLimit:
            "the program ran into the wall-clock limit of \(limits.wallTimeMs) ms; the whole process tree was killed"
        case .outputLimit:
            "stdout or stderr went over the output limit of \(limits.outputBytes) bytes; the program was stopped and the stream cut there"
        case .fileSizeLimit:
            "the program wrote a file larger than the file size limit of \(limits.fileSizeBytes) bytes"
        case .cancelled:
            "the call was cancelled; every process of the run was killed"
        case .workspaceQuota:
            "the program took the workspace past its quota, so it was stopped: \(result.detail ?? "no detail reported"); remove files to make room"
        case .setupFailed:
            "the sandbox could not be set up, nothing ran: \(result.detail ?? "no detail reported")"
        }
    }
}
