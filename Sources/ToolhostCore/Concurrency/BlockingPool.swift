import Foundation

/// Threads for work that blocks — a libcurl transfer, the supervision of a sandboxed run — so that
/// it never holds a thread of Swift's cooperative pool, and so that how many threads it takes is
/// bounded.
///
/// Threads are started as work arrives, up to `maximumThreads`, and then live as long as the pool
/// (a sandbox launcher's parent-death signal follows the thread that started it, so a thread must
/// not end while its run lasts). Work beyond the bound waits in arrival order for a thread.
///
/// ```swift
/// let code = await BlockingPool(name: "toolhost-curl", maximumThreads: 64).run { curl_easy_perform(handle) }
/// ```
public final class BlockingPool: @unchecked Sendable {
    public let name: String
    public let maximumThreads: Int
    // Guards the fields below; the threads sleep on it until work arrives.
    private let condition = NSCondition()
    private var queue: [@Sendable () -> Void] = []
    private var threads = 0
    /// Threads waiting for work (not yet holding a job).
    private var idle = 0

    public init(name: String, maximumThreads: Int) {
        self.name = name
        self.maximumThreads = max(1, maximumThreads)
    }

    /// Threads waiting for work now.
    public var idleCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return idle
    }

    /// Threads started so far.
    public var threadCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return threads
    }

    /// Runs `work` on a thread of the pool and returns its result, suspending (not blocking) the
    /// calling task meanwhile. Cancelling the task does not stop `work`: pass it a way to notice.
    public func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            submit { continuation.resume(returning: work()) }
        }
    }

    /// Queues `job` for a thread of the pool.
    public func submit(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        queue.append(job)
        // A new thread only when the queued work outnumbers the threads free to take it.
        let spawn = queue.count > idle && threads < maximumThreads
        if spawn { threads += 1 }
        let index = threads
        condition.signal()
        condition.unlock()
        guard spawn else { return }
        let thread = Thread { [self] in serve() }
        thread.name = "\(name)-\(index)"
        thread.start()
    }

    private func serve() {
        condition.lock()
        while true {
            while queue.isEmpty {
                idle += 1
                condition.wait()
                idle -= 1
            }
            let job = queue.removeFirst()
            condition.unlock()
            job()
            condition.lock()
        }
    }
}
