import Dispatch
import Foundation
import Synchronization

/// Keeps a few run cgroups created ahead of time, so a run only sets its limits instead of
/// creating directories in three hierarchies on its critical path. For long-lived supervisors
/// (the server): each cgroup still serves exactly one run and is removed after it; the idle ones
/// are removed by ``drain()`` and, after a crash, by the start-up sweep.
final class PrewarmedCgroups: CgroupDriver {
    let base: any CgroupDriver
    let target: Int
    let defaults: SandboxLimits
    /// Ready cgroups; a Mutex because runs on many threads take them while the refill adds.
    private let ready = Mutex<[any RunCgroup]>([])
    private let refilling = Mutex(false)
    private let queue = DispatchQueue(label: "toolhost.sandbox.cgroups", qos: .utility)

    var version: Int { base.version }
    var parentDescription: String { base.parentDescription }

    init(base: any CgroupDriver, target: Int, defaults: SandboxLimits) {
        self.base = base
        self.target = target
        self.defaults = defaults
        refill()
    }

    func create(id: String, limits: SandboxLimits) throws(CgroupError) -> any RunCgroup {
        defer { refill() }
        // A ready cgroup may be gone: any supervisor starting on this machine sweeps the empty run
        // cgroups under the shared parent, and ready ones are empty. One that cannot take its limits
        // is dropped and the next tried, then a new one made, so the run does not fail for it.
        while let cgroup = ready.withLock({ $0.popLast() }) {
            do {
                try cgroup.apply(limits)
                return cgroup
            } catch {
                cgroup.remove()
            }
        }
        return try base.create(id: id, limits: limits)
    }

    @discardableResult func sweep() -> Int { base.sweep() }

    /// Removes the idle cgroups (at shutdown).
    func drain() {
        for cgroup in ready.withLock({ ready in defer { ready.removeAll() }; return ready }) { cgroup.remove() }
    }

    private func refill() {
        guard refilling.withLock({ busy in defer { busy = true }; return !busy }) else { return }
        queue.async { [self] in
            while ready.withLock({ $0.count }) < target, let cgroup = try? base.create(id: UUID().uuidString.lowercased(), limits: defaults) {
                ready.withLock { $0.append(cgroup) }
            }
            refilling.withLock { $0 = false }
        }
    }
}
