import Foundation
import Glibc

/// Watches one launcher until every process of the run is gone: collects stdout and stderr up to the
/// limit, reads the status pipe, feeds standard input, and kills the run on the wall-time, CPU-time
/// and output limits. Runs on a thread of its own (it blocks in poll), never on Swift's cooperative pool.
struct RunMonitor {
    var process: LauncherProcess
    var limits: SandboxLimits
    var input: Data?
    var cgroup: (any RunCgroup)?
    /// Stop watching as soon as the program has ended on its own and its output streams are closed,
    /// before the launcher has exited: what is left is the namespaces' teardown, which
    /// ``reapLauncher(_:)`` waits for later. Only for runs that leave nothing on the host to inspect.
    var returnBeforeTeardown = false
    /// Measures the workdir against its quota while the run is alive: why it is over, or nil.
    var quotaCheck: (() -> String?)?
    /// Set when the caller goes away; the run is then killed.
    var cancellation: RunCancellation?

    struct Observation {
        var status = StatusReport()
        var killed: KillReason?
        var stdout = Data()
        var stderr = Data()
        var stdoutTruncated = false
        var stderrTruncated = false
        var rusage = Glibc.rusage()
        var waitStatus: Int32 = 0
        /// Whether the launcher has been reaped (false when watching stopped before its teardown).
        var launcherReaped = false
    }

    /// How often CPU time is read from the cgroup while a run is busy.
    static let cpuPollInterval: Double = 0.02
    /// How often, at the least, the workdir is measured; a large tree is measured less often, so
    /// that measuring takes at most a fifth of one core.
    static let quotaPollInterval: Double = 0.1

    func watch(start: Double) -> Observation {
        var observation = Observation()
        var open: Set<Int32> = [process.stdout, process.stderr, process.status]
        var statusBuffer = Data()
        var pendingInput = input ?? Data()
        var inputDescriptor = process.stdin
        let deadline = start + Double(limits.wallTimeMs) / 1000
        var nextCPUCheck = start + Self.cpuPollInterval
        var nextQuotaCheck = quotaCheck == nil ? Double.infinity : start + Self.quotaPollInterval
        var killedAt: Double?
        var forced = false

        func kill(_ reason: KillReason) {
            guard observation.killed == nil else { return }
            observation.killed = reason
            killedAt = Monotonic.now
            // SIGTERM, not SIGKILL: the launcher's handler SIGKILLs its pid-namespace init from
            // outside, which takes every process of the run with it, and exits only once the init
            // is reaped, so the run's cgroup is empty by the time it is removed; no process tree is
            // walked. A SIGKILLed launcher leaves the teardown to the init's parent-death signal,
            // which happens asynchronously (and which a credential change of the init clears unless
            // the launcher re-arms it).
            Glibc.kill(process.pid, SIGTERM)
        }

        if inputDescriptor != nil, pendingInput.isEmpty, let descriptor = inputDescriptor {
            close(descriptor)
            inputDescriptor = nil
        }
        var stdout = CapturedStream(limit: limits.outputBytes)
        var stderr = CapturedStream(limit: limits.outputBytes)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !open.isEmpty {
            if returnBeforeTeardown, observation.killed == nil, observation.status.programEnded,
               !open.contains(process.stdout), !open.contains(process.stderr) {
                break
            }
            let now = Monotonic.now
            if observation.killed == nil, cancellation?.isCancelled == true { kill(.cancelled) }
            if observation.killed == nil, now >= deadline { kill(.wallTime) }
            if observation.killed == nil, cgroup != nil, now >= nextCPUCheck {
                nextCPUCheck = now + Self.cpuPollInterval
                if let used = cgroup?.cpuNanoseconds(), used >= UInt64(limits.cpuTimeMs) * 1_000_000 { kill(.cpuTime) }
            }
            if observation.killed == nil, let quotaCheck, now >= nextQuotaCheck {
                if let violation = quotaCheck() { kill(.workspaceQuota(violation)) }
                let measured = Monotonic.now - now
                nextQuotaCheck = Monotonic.now + max(Self.quotaPollInterval, 4 * measured)
            }
            // The launcher answers SIGTERM within moments; one that does not is killed outright.
            if let killedAt, !forced, now - killedAt > 2 {
                forced = true
                Glibc.kill(process.pid, SIGKILL)
            }
            // Everything is dead once killed; a pipe that still does not close is held by nothing of ours.
            if let killedAt, now - killedAt > 5 { break }
            var descriptors = open.sorted().map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            if let inputDescriptor { descriptors.append(pollfd(fd: inputDescriptor, events: Int16(POLLOUT), revents: 0)) }
            // Watched only until the run is killed: the pipe stays readable once cancelled.
            let cancelDescriptor = observation.killed == nil ? cancellation?.descriptor ?? -1 : -1
            if cancelDescriptor >= 0 { descriptors.append(pollfd(fd: cancelDescriptor, events: Int16(POLLIN), revents: 0)) }
            let wake = min(observation.killed == nil ? deadline : now + 0.5, cgroup == nil ? deadline : nextCPUCheck,
                           observation.killed == nil ? nextQuotaCheck : .infinity)
            let timeout = Int32(max(0, min(1000, (wake - now) * 1000)).rounded(.up))
            let ready = poll(&descriptors, nfds_t(descriptors.count), timeout)
            if ready < 0 && errno != EINTR { break }
            guard ready > 0 else { continue }
            for entry in descriptors where entry.revents != 0 {
                if entry.fd == cancelDescriptor { continue }  // the flag is read at the top of the loop
                if entry.fd == inputDescriptor {
                    let written = pendingInput.withUnsafeBytes { write(entry.fd, $0.baseAddress, min($0.count, 65536)) }
                    if written > 0 { pendingInput.removeFirst(written) }
                    if written < 0 || pendingInput.isEmpty {
                        close(entry.fd)
                        inputDescriptor = nil
                    }
                    continue
                }
                let count = read(entry.fd, &buffer, buffer.count)
                if count < 0 && (errno == EAGAIN || errno == EINTR) { continue }
                if count <= 0 {
                    close(entry.fd)
                    open.remove(entry.fd)
                    continue
                }
                let chunk = buffer[..<count]
                switch entry.fd {
                case process.status:
                    statusBuffer.append(contentsOf: chunk)
                    while let newline = statusBuffer.firstIndex(of: 10) {
                        observation.status.apply(line: Substring(String(decoding: statusBuffer[..<newline], as: UTF8.self)))
                        statusBuffer.removeSubrange(...newline)
                    }
                case process.stdout:
                    if !stdout.append(chunk) { kill(.output) }
                default:
                    if !stderr.append(chunk) { kill(.output) }
                }
            }
        }
        for descriptor in open where descriptor != process.status { close(descriptor) }
        if let inputDescriptor { close(inputDescriptor) }
        (observation.stdout, observation.stdoutTruncated) = (stdout.data, stdout.truncated)
        (observation.stderr, observation.stderrTruncated) = (stderr.data, stderr.truncated)
        if !open.contains(process.status) {
            wait(for: &observation)
        }
        return observation
    }

    /// Finishes a run that ``watch(start:)`` left before the launcher's exit: closes the status
    /// pipe (only a final outcome was expected on it) and waits for the launcher.
    func reapLauncher(_ observation: inout Observation) {
        guard !observation.launcherReaped else { return }
        close(process.status)
        wait(for: &observation)
    }

    /// Waits for the launcher to exit. It exits only after its pid-namespace init has been reaped,
    /// so once it is reaped here, no process of the run is left.
    private func wait(for observation: inout Observation) {
        var status: Int32 = 0
        while wait4(process.pid, &status, 0, &observation.rusage) < 0 && errno == EINTR {}
        observation.waitStatus = status
        observation.launcherReaped = true
    }
}

/// One output stream, kept up to its limit.
struct CapturedStream {
    var limit: Int
    var data = Data()
    var truncated = false

    init(limit: Int) { self.limit = limit }

    /// Appends up to the limit; false when the stream went over it (the run must end).
    mutating func append(_ chunk: ArraySlice<UInt8>) -> Bool {
        let room = limit - data.count
        if chunk.count <= room {
            data.append(contentsOf: chunk)
            return true
        }
        if room > 0 { data.append(contentsOf: chunk.prefix(room)) }
        truncated = true
        return false
    }
}

/// A monotonic clock in seconds, immune to wall-clock changes.
enum Monotonic {
    static var now: Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
