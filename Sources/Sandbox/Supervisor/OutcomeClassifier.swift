import Glibc

/// Why the supervisor killed a run, if it did.
enum KillReason: Sendable, Hashable {
    case wallTime, cpuTime, output, cancelled
    /// The workdir went over its quota; the words say which part.
    case workspaceQuota(String)
}

/// Decides a run's one outcome from everything that was observed. The order is the order of
/// causes: a setup failure explains everything after it; a blocked syscall or a limit explains the
/// kill or signal that followed; only then does the program's own exit speak.
enum OutcomeClassifier {
    struct Verdict: Equatable {
        var outcome: SandboxOutcome
        var detail: String?
    }

    static func classify(status: StatusReport, killed: KillReason?, events: CgroupLimitEvents, limits: SandboxLimits,
                         cpuMs: Double) -> Verdict {
        if let failure = status.setupFailure {
            return Verdict(outcome: .setupFailed, detail: "\(failure.stage): \(String(cString: strerror(failure.code))) (errno \(failure.code))")
        }
        if killed == .cancelled { return Verdict(outcome: .cancelled, detail: "the caller went away; every process of the run was killed") }
        if status.blocked != nil { return Verdict(outcome: .syscallBlocked, detail: nil) }
        if status.signal == Int(SIGSYS) {
            // Killed by the filter itself: only a foreign ABI (i386 int 0x80, x32) is killed that way.
            return Verdict(outcome: .syscallBlocked, detail: "foreign system call ABI refused")
        }
        if killed == .output { return Verdict(outcome: .outputLimit, detail: "more than \(limits.outputBytes) bytes on one stream") }
        if case .workspaceQuota(let why) = killed { return Verdict(outcome: .workspaceQuota, detail: why) }
        if events.oomKills > 0 { return Verdict(outcome: .memoryLimit, detail: "memory limit \(limits.memoryBytes) bytes") }
        if killed == .cpuTime || status.signal == Int(SIGXCPU)
            || (status.signal == Int(SIGKILL) && cpuMs >= Double(limits.cpuTimeMs)) {
            return Verdict(outcome: .cpuTimeLimit, detail: "CPU time limit \(limits.cpuTimeMs) ms")
        }
        if status.signal == Int(SIGXFSZ) { return Verdict(outcome: .fileSizeLimit, detail: "file size limit \(limits.fileSizeBytes) bytes") }
        if events.pidsLimitHits > 0 { return Verdict(outcome: .pidsLimit, detail: "pids limit \(limits.pids)") }
        if killed == .wallTime { return Verdict(outcome: .wallTimeLimit, detail: "wall time limit \(limits.wallTimeMs) ms") }
        if status.signal != nil { return Verdict(outcome: .killedSignal, detail: nil) }
        if let code = status.exitCode { return Verdict(outcome: code == 0 ? .ok : .exitNonzero, detail: nil) }
        return Verdict(outcome: .setupFailed, detail: "the launcher ended without reporting an outcome")
    }
}
