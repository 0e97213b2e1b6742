import Foundation
import Glibc
import HTTPTypes
import HummingbirdTesting
import NIOCore

/// A server started as its own process on a free loopback port, with its output discarded.
final class ServerUnderTest: @unchecked Sendable {
    let name: String
    let port: Int
    private let process = Process()

    /// Starts `executable arguments…` (where `{port}` is replaced by the chosen port) and waits until `probe` answers 200.
    init(name: String, executable: URL, arguments: [String], probe: String) async throws {
        self.name = name
        port = try Self.freePort()
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw BenchmarkError("\(executable.path) is missing: build it with `swift build -c release`")
        }
        process.executableURL = executable
        process.arguments = arguments.map { $0.replacingOccurrences(of: "{port}", with: String(port)) }
        // Request logs (the registry logs every request, as `toolhost serve` does) go to /dev/null.
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            guard process.isRunning else { throw BenchmarkError("\(name) exited with status \(process.terminationStatus)") }
            if (try? await get(probe)) == .ok { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BenchmarkError("\(name) did not answer \(probe) within a minute")
    }

    var url: String { "http://127.0.0.1:\(port)" }

    func get(_ path: String, headers: HTTPFields = [:]) async throws -> HTTPResponse.Status {
        try await TestClient.withClient(host: "127.0.0.1", port: port) { client in try await client.get(path, headers: headers).status }
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    deinit { stop() }

    /// A loopback port nobody listens on now (the kernel's choice for port 0).
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw BenchmarkError("socket: errno \(errno)") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(descriptor, address, length) == 0 && getsockname(descriptor, address, &length) == 0
            }
        }
        guard bound else { throw BenchmarkError("bind: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
