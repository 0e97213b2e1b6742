import Foundation
import Glibc
import HTTPTypes
import HummingbirdTesting
import NIOCore
import TestSupport

/// The real `toolhost serve` executable on a loopback port, started as a user starts it.
final class ServerProcess: @unchecked Sendable {
    let port: Int
    let dataDirectory: URL
    private let process: Process
    private let log: URL

    /// The built `toolhost`, next to the test bundle in the build's products folder (as CLIRunner finds it).
    static var executable: URL {
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("toolhost"),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("toolhost"),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".build/debug/toolhost"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[2]
    }

    /// Starts `toolhost serve --port <free port> --data-dir <dataDirectory>` and waits until `/healthz` answers.
    /// - Throws: when the executable is missing, or the server does not answer within `timeout`.
    init(dataDirectory: URL, timeout: Duration = .seconds(60)) async throws {
        self.dataDirectory = dataDirectory
        port = try Self.freePort()
        log = dataDirectory.deletingLastPathComponent().appendingPathComponent("serve-\(port).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process = Process()
        guard FileManager.default.isExecutableFile(atPath: Self.executable.path) else {
            throw Failure("\(Self.executable.path) is missing: build it first (swift build --build-tests builds it)")
        }
        process.executableURL = Self.executable
        process.arguments = ["serve", "--host", "127.0.0.1", "--port", String(port), "--data-dir", dataDirectory.path]
        let output = try FileHandle(forWritingTo: log)
        process.standardOutput = output
        process.standardError = output
        try process.run()
        try await waitUntilHealthy(timeout: timeout)
    }

    /// The local administrator's key, from `admin.key` in the data directory.
    var adminKey: String {
        get throws {
            try String(contentsOf: dataDirectory.appendingPathComponent("admin.key"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// What the server printed so far.
    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// `kill -9`: no clean-up of any kind runs in the server.
    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM, and waits, off the cooperative pool, for the graceful shutdown.
    func stop() async {
        guard process.isRunning else { return }
        process.terminate()
        let process = process
        _ = try? await offPool { process.waitUntilExit() }
    }

    deinit { if process.isRunning { kill9() } }

    /// A client on its own connection to the server.
    func withClient<T: Sendable>(_ body: @escaping @Sendable (TestClient) async throws -> T) async throws -> T {
        try await TestClient.withClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(30)), operation: body)
    }

    /// Polls `/healthz` until it answers 200 or the server exits. It gives up only once `timeout` has
    /// passed *and* 100 probes have failed: while the test process's own threads are busy with other
    /// tests the loop may not run for a long time, and the server is not to blame for that.
    private func waitUntilHealthy(timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        var failedProbes = 0
        while ContinuousClock.now < deadline || failedProbes < 100 {
            guard process.isRunning else { throw Failure("toolhost serve exited with \(process.terminationStatus): \(output)") }
            let healthy = (try? await withClient { client in try await client.get("/healthz").status == .ok }) ?? false
            if healthy { return }
            failedProbes += 1
            try await Task.sleep(for: .milliseconds(50))
        }
        throw Failure("toolhost serve did not answer /healthz within \(timeout) and \(failedProbes) tries: \(output)")
    }

    /// A loopback port nobody listens on now (the kernel's choice for port 0).
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure("socket: errno \(errno)") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(descriptor, address, length) == 0 && getsockname(descriptor, address, &length) == 0
            }
        }
        guard bound else { throw Failure("bind: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
