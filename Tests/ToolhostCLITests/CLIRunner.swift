import Foundation
import TestSupport
import ToolhostCore

/// Runs the real `toolhost` executable, as a user or a script would, in a fresh data directory.
struct CLIRunner {
    struct Result {
        var exitCode: Int32
        var stdout: String
        var stderr: String

        /// Standard output parsed as JSON.
        func json() throws -> JSONValue { try JSONValue(parsing: stdout) }
    }

    let dataDirectory: URL
    let workDirectory: URL

    init() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("toolhost-cli-\(UUID().uuidString)")
        dataDirectory = base.appendingPathComponent("data")
        workDirectory = base.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)
    }

    /// The built `toolhost` binary, next to the test bundle in the build's products folder.
    static var executable: URL { ServerProcess.executable }

    /// Writes `text` to a file in the work directory and returns its path.
    func file(_ name: String, _ text: String) throws -> String {
        let url = workDirectory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// Runs `toolhost` with `arguments`; `environment` adds to (or, with nil values, removes from) the
    /// test's own environment, from which a developer's `TOOLHOST_SERVER` and `TOOLHOST_KEY` are dropped.
    /// The process runs and is waited for off Swift's cooperative pool (see ``offPool(_:)``).
    func run(_ arguments: [String], stdin: String? = nil, environment extra: [String: String?] = [:]) async throws -> Result {
        let executable = Self.executable
        let workDirectory = workDirectory
        let dataDirectory = dataDirectory
        return try await offPool {
            try Self.runBlocking(executable, arguments, in: workDirectory, data: dataDirectory, stdin: stdin, environment: extra)
        }
    }

    private static func runBlocking(_ executable: URL, _ arguments: [String], in workDirectory: URL, data dataDirectory: URL,
                                    stdin: String?, environment extra: [String: String?]) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = workDirectory
        var environment = ProcessInfo.processInfo.environment
        environment["TOOLHOST_DATA"] = dataDirectory.path
        environment["TOOLHOST_SERVER"] = nil
        environment["TOOLHOST_KEY"] = nil
        for (name, value) in extra { environment[name] = value }
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input
        try process.run()
        // No CLI run in a test takes minutes: one that does is stopped, and its result says so,
        // rather than holding the test (and CI) forever.
        let stopped = DeadlineFlag()
        let deadline = DispatchWorkItem {
            guard process.isRunning else { return }
            stopped.value = true
            process.terminate()
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + runDeadline, execute: deadline)
        defer { deadline.cancel() }
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Both pipes are drained at once, so that a child filling one of them cannot block while
        // this thread waits on the other.
        let stderrData = DrainedBytes()
        let stderrDrained = DispatchSemaphore(value: 0)
        Thread {
            stderrData.value = errors.fileHandleForReading.readDataToEndOfFile()
            stderrDrained.signal()
        }.start()
        let stdoutData = output.fileHandleForReading.readDataToEndOfFile()
        stderrDrained.wait()
        process.waitUntilExit()
        var stderr = String(decoding: stderrData.value, as: UTF8.self)
        if stopped.value {
            stderr += "\n[CLIRunner: toolhost \(arguments.joined(separator: " ")) was stopped after \(Int(runDeadline)) s]"
        }
        return Result(exitCode: process.terminationStatus,
                      stdout: String(decoding: stdoutData, as: UTF8.self),
                      stderr: stderr)
    }

    /// How long one CLI run may take before it is stopped.
    private static let runDeadline: TimeInterval = 300

    /// Bytes handed from the thread that drains standard error to the one that waits for it (the
    /// semaphore orders the write before the read).
    private final class DrainedBytes: @unchecked Sendable {
        var value = Data()
    }

    /// Whether the deadline stopped the run; written before the child is signalled, read after it exited.
    private final class DeadlineFlag: @unchecked Sendable {
        var value = false
    }

    func removeAll() {
        try? FileManager.default.removeItem(at: workDirectory.deletingLastPathComponent())
    }
}
