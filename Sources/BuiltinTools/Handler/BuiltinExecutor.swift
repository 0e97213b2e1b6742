import CSandboxSupport
import Foundation

/// Threads of their own for built-in handlers, so that a CPU-heavy call (a large PDF, a SQL
/// statement near its limits) never occupies Swift's cooperative pool, which serves every HTTP
/// request of the server: with two cores, two such calls on the pool would stall `/healthz`.
///
/// Use it as a task executor preference (`withTaskExecutorPreference(BuiltinExecutor.shared)`):
/// the handler's synchronous work runs here; what it awaits (the sandbox, the network) runs where
/// it always does. The threads run at a lower priority (nice 10), so the server's own threads get
/// the CPU first when both want it. Jobs run in arrival order; a call that finds every thread busy
/// waits for one, which bounds how much CPU built-ins take at once.
public final class BuiltinExecutor: TaskExecutor, @unchecked Sendable {
    /// The executor of the process: two threads per core, at least four.
    public static let shared = BuiltinExecutor(threads: max(4, 2 * ProcessInfo.processInfo.activeProcessorCount))

    // Guards `jobs`; NSCondition because the threads sleep on it until a job arrives.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    /// Starts `threads` threads that run jobs for as long as the process lives.
    public init(threads: Int) {
        for index in 0..<max(1, threads) {
            // The threads hold the executor: it lives as long as the process.
            let thread = Thread {
                _ = toolhost_lower_thread_priority(10)
                self.serve()
            }
            thread.name = "toolhost-builtin-\(index)"
            thread.start()
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func serve() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
