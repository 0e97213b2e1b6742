import Foundation

/// Runs blocking work — waiting for a child process, reading its pipes to the end — on a thread of
/// its own, so that it never holds a thread of Swift's cooperative pool.
///
/// The pool has one thread per core, two on this machine. A test that waits for a child with
/// `Process.waitUntilExit()` blocks one of them for as long as the child runs; two such tests at once
/// stall every other test in the process, and the wall-clock deadlines of tests that talk to a live
/// server then expire while that server is fine.
///
/// ```swift
/// let status = try await offPool { process.waitUntilExit(); return process.terminationStatus }
/// ```
public func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}
