import Foundation
import Glibc
import ToolhostCore

extension Sandbox {
    /// What remains of a run after its result is known: the launcher's exit (the namespaces'
    /// teardown) and the removal of its cgroup. Run on the same thread, right after the caller has
    /// been answered; the launcher's parent-death signal is tied to that thread.
    struct Teardown {
        var finish: () -> Void
    }

    /// Everything of one run after validation, on the run's own thread: cgroup, launch, watch,
    /// classify, clean up. Every path out of here removes what it created, or returns a
    /// ``Teardown`` that will.
    func supervise(_ prepared: PreparedRun) -> (SandboxResult, Teardown?) {
        var teardown: Teardown?
        let result = supervise(prepared, deferring: &teardown)
        return (result, teardown)
    }

    private func supervise(_ prepared: PreparedRun, deferring teardown: inout Teardown?) -> SandboxResult {
        var request = prepared.request
        let start = Monotonic.now
        let id = UUID().uuidString.lowercased()
        var temporaryWorkdir: String?
        func failed(_ detail: String) -> SandboxResult {
            Self.setupFailed(detail, wallMs: (Monotonic.now - start) * 1000)
        }
        // A caller that is gone before the run starts gets nothing started.
        if prepared.cancellation?.isCancelled == true {
            var result = failed("the caller went away before the run started; nothing ran")
            result.outcome = .cancelled
            return result
        }

        // Without a workdir of its own, a run gets a tmpfs at /work, which leaves nothing on the
        // host to create, hand over and remove; only collecting files needs a host directory.
        var workdir = prepared.workdir
        if workdir == nil, request.collectFiles {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("toolhost-run-\(id)").path
            guard mkdir(path, 0o700) == 0 else { return failed("workdir: \(String(cString: strerror(errno))) (errno \(errno))") }
            temporaryWorkdir = path
            workdir = path
        }
        defer {
            // Most runs leave their fresh workdir empty: rmdir is one syscall, a recursive removal many.
            if let temporaryWorkdir, rmdir(temporaryWorkdir) != 0 { try? FileManager.default.removeItem(atPath: temporaryWorkdir) }
        }
        // A root supervisor runs the sandbox as an unprivileged host user, who must be able to
        // write the workdir: hand it over for the run and give it back afterwards.
        let identity = geteuid() == 0 ? policy.hostIdentity : nil
        var handedOver: (uid: uid_t, gid: gid_t)?
        if let identity, let workdir {
            var info = stat()
            guard stat(workdir, &info) == 0, chown(workdir, identity.uid, identity.gid) == 0 else {
                return failed("workdir: cannot hand \(workdir) to the sandbox user: \(String(cString: strerror(errno))) (errno \(errno))")
            }
            handedOver = (info.st_uid, info.st_gid)
        }
        defer { if let handedOver, let workdir, temporaryWorkdir == nil { _ = chown(workdir, handedOver.uid, handedOver.gid) } }
        let quota = workdir.flatMap { workdir in
            request.workdirQuota.map { QuotaWatch(quota: $0, workdir: workdir, requestedFileSize: request.limits.fileSizeBytes) }
        }
        if let quota { request.limits.fileSizeBytes = quota.fileSizeBytes }

        // A prewarmed launcher is already in its cgroups; its run only sets the limits.
        var prewarmed = launchers?.take()
        if let ready = prewarmed {
            do {
                try ready.cgroup.apply(request.limits)
            } catch {
                ready.discard()
                prewarmed = nil
            }
        }
        let cgroup: any RunCgroup
        if let prewarmed {
            cgroup = prewarmed.cgroup
        } else {
            do {
                cgroup = try cgroups.create(id: id, limits: request.limits)
            } catch {
                // Fail closed: without its cgroup a run would have no memory or pids limit.
                return failed(error.description)
            }
        }
        var cgroupHandedOff = false
        defer { if !cgroupHandedOff { cgroup.remove() } }

        var command: LauncherCommand
        do {
            command = try LauncherCommand(
                request: request, policy: policy, workdir: workdir, cgroupPaths: prewarmed == nil ? cgroup.joinPaths : [],
                hostIdentity: identity)
            // A command line too long for one request goes to a launcher of its own, in the same cgroup.
            if let ready = prewarmed, command.requestBytes > PrewarmedLaunchers.Ready.maximumRequestBytes {
                ready.retire()
                prewarmed = nil
                command = try LauncherCommand(
                    request: request, policy: policy, workdir: workdir, cgroupPaths: cgroup.joinPaths, hostIdentity: identity)
            }
        } catch {
            prewarmed?.retire()
            return failed(error.message)
        }
        let process: LauncherProcess
        if let ready = prewarmed {
            guard ready.start(arguments: command.arguments, seccomp: prepared.filter.descriptor) else {
                let code = errno
                ready.kill()
                return failed("request: the prewarmed launcher did not take the run: \(String(cString: strerror(code))) (errno \(code))")
            }
            process = ready.process
        } else {
            let launched = LauncherProcess.spawn(
                launcher: launcherPath, arguments: command.arguments, seccomp: prepared.filter.descriptor, input: request.stdin != nil)
            switch launched {
            case .success(let running): process = running
            case .failure(let failure): return failed("\(failure.stage): \(String(cString: strerror(failure.code))) (errno \(failure.code))")
            }
        }

        // A run with a host workdir is watched to the very end: its files are read, handed back or
        // removed only once no process of the run is left. A run on a tmpfs /work leaves nothing on
        // the host but its cgroup, so it is answered as soon as the program is done.
        var monitor = RunMonitor(process: process, limits: request.limits, input: request.stdin, cgroup: cgroup)
        monitor.returnBeforeTeardown = workdir == nil
        monitor.quotaCheck = quota.map { quota in { quota.violation() } }
        monitor.cancellation = prepared.cancellation
        var observation = monitor.watch(start: start)
        let wallMs = (Monotonic.now - start) * 1000
        let rusageCPU = Double(observation.rusage.ru_utime.tv_sec + observation.rusage.ru_stime.tv_sec) * 1000
            + Double(observation.rusage.ru_utime.tv_usec + observation.rusage.ru_stime.tv_usec) / 1000
        let cpuMs = cgroup.cpuNanoseconds().map { Double($0) / 1e6 } ?? rusageCPU
        let peak = cgroup.peakMemoryBytes() ?? observation.rusage.ru_maxrss * 1024
        // A clean exit 0 is `ok` whatever the limit counters say, so they are only read otherwise.
        let cleanExit = observation.status.exitCode == 0 && observation.killed == nil && observation.status.blocked == nil
        var verdict = OutcomeClassifier.classify(
            status: observation.status, killed: observation.killed, events: cleanExit ? CgroupLimitEvents() : cgroup.limitEvents(),
            limits: request.limits, cpuMs: cpuMs)
        // Measured once more with no process of the run left: what it wrote between two checks counts too.
        if let quota, verdict.outcome != .setupFailed, observation.launcherReaped {
            verdict = quota.finalVerdict(after: verdict)
        }

        var result = SandboxResult(
            outcome: verdict.outcome, exitCode: observation.status.exitCode, signal: observation.status.signal,
            syscall: observation.status.blocked.map { SeccompFilter.name(ofSyscall: $0.number, architecture: $0.architecture) },
            detail: verdict.detail, stdout: observation.stdout, stderr: observation.stderr,
            stdoutTruncated: observation.stdoutTruncated, stderrTruncated: observation.stderrTruncated,
            usage: .init(wallMs: (wallMs * 10).rounded() / 10, cpuMs: (cpuMs * 10).rounded() / 10, peakMemoryBytes: peak),
            files: nil)
        if request.collectFiles, let workdir {
            result.files = WorkdirFiles.list(workdir)
        }
        if !observation.launcherReaped {
            cgroupHandedOff = true
            teardown = Teardown {
                monitor.reapLauncher(&observation)
                cgroup.remove()
            }
        }
        return result
    }

    static func setupFailed(_ detail: String, wallMs: Double) -> SandboxResult {
        SandboxResult(
            outcome: .setupFailed, exitCode: nil, signal: nil, syscall: nil, detail: detail, stdout: Data(), stderr: Data(),
            stdoutTruncated: false, stderrTruncated: false, usage: .init(wallMs: wallMs, cpuMs: 0, peakMemoryBytes: 0), files: nil)
    }
}
