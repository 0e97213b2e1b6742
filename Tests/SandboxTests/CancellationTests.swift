import Foundation
import Glibc
import Sandbox
import Testing

/// Issue 11, point 5: when the caller goes away, its run goes too, long before its limits.
@Suite("Cancelling a run")
struct CancellationTests {
    @Test("cancelling the calling task kills the run's whole tree at once: outcome cancelled, nothing left behind")
    func cancelKills() async throws {
        // The concurrency runtime opens a timer descriptor the first time a task sleeps at this
        // priority; sleep once before the snapshot so that it does not count as the run's.
        try await Task.sleep(for: .milliseconds(1))
        try await SandboxFixture.hostUnaffected {
            let started = ContinuousClock.now
            let run = Task {
                try await SandboxFixture.run("sh", ["sh", "-c", "sleep 60 & sleep 60 & wait"]) { $0.limits.wallTimeMs = 60_000 }
            }
            try await Task.sleep(for: .milliseconds(500))
            run.cancel()
            let result = try await run.value
            #expect(result.outcome == .cancelled, "\(SandboxFixture.describe(result))")
            #expect(result.detail?.contains("caller went away") == true)
            // Far below the 60 s the program and its limit would take; loose, for a loaded machine.
            #expect(ContinuousClock.now - started < .seconds(20))
        }
    }

    @Test("a task cancelled before the run starts starts nothing")
    func cancelledBefore() async throws {
        let run = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await SandboxFixture.run("sh", ["sh", "-c", "echo ran"])
        }
        let result = try await run.value
        #expect(result.outcome == .cancelled, "\(SandboxFixture.describe(result))")
        #expect(result.stdout.isEmpty)
    }
}
