import Foundation
import Glibc
import Synchronization

/// Launchers started ahead of time, each already inside the cgroups of the run it will serve and
/// waiting for that run's command line (`toolhost-sandbox --prewarm`).
///
/// On cgroup v1 every join waits for an RCU grace period (about 0.4 ms per hierarchy here), and
/// spawning the launcher costs more; a prewarmed launcher has paid both before the request comes.
/// Each still serves exactly one run: namespaces, mounts and the program are all created for it.
/// Worth it for long-lived supervisors (the server, benchmarks); ``shutdown()`` releases the idle ones.
///
/// The launchers are spawned from one thread of the pool's own, which lives until shutdown: a
/// launcher's parent-death signal follows the thread that started it.
final class PrewarmedLaunchers: Sendable {
    /// A launcher ready for one run.
    struct Ready: Sendable {
        var process: LauncherProcess
        /// The supervisor's end of the request socket.
        var request: Int32
        var cgroup: any RunCgroup

        /// Kills and reaps the launcher, closes its pipes and removes its cgroup (it never ran anything).
        func discard() {
            kill()
            cgroup.remove()
        }

        /// Kills and reaps the launcher and closes its pipes; the cgroup stays.
        func kill() {
            close(request)
            Glibc.kill(process.pid, SIGKILL)
            reap()
        }

        /// Lets the launcher exit unused (end-of-file on its request socket) and reaps it; the
        /// cgroup stays, empty, for whoever uses it next.
        func retire() {
            close(request)
            reap()
        }

        private func reap() {
            var status: Int32 = 0
            while waitpid(process.pid, &status, 0) < 0 && errno == EINTR {}
            for descriptor in [process.stdout, process.stderr, process.status] + (process.stdin.map { [$0] } ?? []) { close(descriptor) }
        }
    }

    private struct State {
        var ready: [Ready] = []
        var stopped = false
    }

    let launcher: String
    let target: Int
    let cgroups: any CgroupDriver
    let defaults: SandboxLimits
    private let state = Mutex(State())
    /// Signalled when a launcher was taken (refill) or at shutdown.
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    init(launcher: String, target: Int, cgroups: any CgroupDriver, defaults: SandboxLimits) {
        self.launcher = launcher
        self.target = target
        self.cgroups = cgroups
        self.defaults = defaults
        let thread = Thread { [self] in refillUntilStopped() }
        thread.name = "toolhost.sandbox.prewarm"
        thread.start()
    }

    /// A ready launcher, or nil when none is (the run then starts one itself).
    func take() -> Ready? {
        let taken = state.withLock { $0.ready.popLast() }
        wake.signal()
        return taken
    }

    /// Stops refilling and releases every idle launcher: each sees end-of-file on its request
    /// socket and exits; then its cgroup is removed.
    func shutdown() {
        let idle = state.withLock { state -> [Ready]? in
            guard !state.stopped else { return nil }
            state.stopped = true
            defer { state.ready.removeAll() }
            return state.ready
        }
        guard let idle else { return }
        wake.signal()
        finished.wait()
        for ready in idle { ready.release() }
    }

    private func refillUntilStopped() {
        while !state.withLock({ $0.stopped }) {
            while state.withLock({ !$0.stopped && $0.ready.count < target }), let ready = spawn() {
                let kept = state.withLock { state -> Bool in
                    guard !state.stopped else { return false }
                    state.ready.append(ready)
                    return true
                }
                if !kept { ready.release() }
            }
            wake.wait()
        }
        finished.signal()
    }

    private func spawn() -> Ready? {
        guard let cgroup = try? cgroups.create(id: UUID().uuidString.lowercased(), limits: defaults) else { return nil }
        guard case .success(let launched) = LauncherProcess.spawnPrewarmed(launcher: launcher, cgroupPaths: cgroup.joinPaths) else {
            cgroup.remove()
            return nil
        }
        return Ready(process: launched.process, request: launched.request, cgroup: cgroup)
    }
}

extension PrewarmedLaunchers.Ready {
    /// Lets an idle launcher go and removes its cgroup.
    func release() {
        retire()
        cgroup.remove()
    }

    /// Sends the run's command line (without `--cgroup`: the launcher is in its cgroups already)
    /// and the seccomp program; false when the launcher did not take it (it is then discarded).
    func start(arguments: [String], seccomp: Int32) -> Bool {
        var words = Data()
        for argument in arguments {
            words.append(contentsOf: argument.utf8)
            words.append(0)
        }
        let sent = words.withUnsafeBytes { toolhost_send_with_descriptor(request, $0.baseAddress, UInt($0.count), seccomp) }
        guard sent == words.count else { return false }
        close(request)
        return true
    }

    /// The most a request may hold; larger command lines start a launcher of their own.
    static let maximumRequestBytes = 200 * 1024
}

import CSandboxSupport
