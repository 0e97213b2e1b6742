import Foundation
import Synchronization
import Testing
import ToolhostCore

/// The threads that blocking work (curl transfers, sandbox supervision) runs on: bounded, reused.
@Suite("BlockingPool")
struct BlockingPoolTests {
    /// Counts jobs running at once, and holds them until released.
    final class Gate: Sendable {
        let running = Mutex((now: 0, most: 0, started: 0))
        let release = DispatchSemaphore(value: 0)

        func pass() {
            running.withLock { $0.now += 1; $0.started += 1; $0.most = max($0.most, $0.now) }
            release.wait()
            running.withLock { $0.now -= 1 }
        }
    }

    @Test("blocking jobs run side by side up to the bound; the rest wait their turn and all finish")
    func bounded() async throws {
        let pool = BlockingPool(name: "test-bounded", maximumThreads: 3)
        let gate = Gate()
        let results = Task {
            await withTaskGroup(of: Int.self) { group in
                for index in 0..<7 { group.addTask { await pool.run { gate.pass(); return index } } }
                return await group.reduce(into: []) { $0.append($1) }
            }
        }
        // Three start; the other four wait, however long the first three block.
        var started = 0
        for _ in 0..<200 where started < 3 {
            try await Task.sleep(for: .milliseconds(10))
            started = gate.running.withLock { $0.started }
        }
        try await Task.sleep(for: .milliseconds(100))
        #expect(gate.running.withLock { $0.started } == 3)
        for _ in 0..<7 { gate.release.signal() }
        #expect(await results.value.sorted() == Array(0..<7))
        #expect(gate.running.withLock { $0.most } == 3)
        #expect(pool.threadCount == 3)
    }

    @Test("one job after another reuses one thread")
    func reused() async throws {
        let pool = BlockingPool(name: "test-reused", maximumThreads: 8)
        for index in 0..<20 {
            #expect(await pool.run { index * 2 } == index * 2)
            // The thread goes back to waiting just after it answers; the next job comes once it has.
            for _ in 0..<500 where pool.idleCount == 0 { try await Task.sleep(for: .milliseconds(2)) }
        }
        #expect(pool.threadCount == 1)
    }
}
