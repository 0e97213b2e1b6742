import Foundation
import Glibc
import HTTPTypes
import HummingbirdTesting
import Server
import Testing
import ToolhostCore

@Suite("Connections that stop sending are closed after the idle timeout", .serialized)
struct IdleTimeoutTests {
    @Test("the server closes idle connections after 30 seconds unless configured otherwise")
    func defaultTimeout() {
        #expect(ServerConfiguration().idleTimeout == .seconds(30))
    }

    @Test("a client that sends half a request header and then nothing is disconnected within the timeout; whole requests still answer")
    func halfAHeaderIsClosed() async throws {
        let fixture = try await ServerFixture { $0.idleTimeout = .seconds(1) }
        defer { fixture.cleanUp() }
        try await fixture.withClient { client in
            let port = try #require(client.port)
            let slow = try RawConnection(port: port)
            defer { slow.close() }
            let started = ContinuousClock.now
            try slow.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            // The bound is generous for the same reason as the fixtures' 60 s: under the whole suite's
            // load on two cores, a test task can wait tens of seconds for a thread.
            let closed = try #require(await slow.waitForClose(limit: .seconds(60)), "the connection was still open after 60 s")
            let elapsed = closed - started
            print("idle timeout: a half-sent request was closed after \(elapsed) (timeout 1 s)")
            // Not before the timeout.
            #expect(elapsed >= .milliseconds(900), "closed after \(elapsed)")

            // A connection that sends whole requests is served as before, also after the slow one went.
            let answer = try await TestClient.withClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(30))) { fresh in
                try await fresh.get("/healthz")
            }
            #expect(answer.status == .ok)
        }
    }

    @Test("a call that takes longer than the idle timeout still gets its answer on the same connection")
    func longCallsAreNotCutOff() async throws {
        let fixture = try await ServerFixture { $0.idleTimeout = .seconds(1) }
        defer { fixture.cleanUp() }
        let key = fixture.server.adminKey
        try await fixture.withClient { client in
            let port = try #require(client.port)
            try await TestClient.withClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(60))) { fresh in
                let call = try await fresh.send(.post, "/api/v1/tools/python_exec/invoke", key: key,
                                                json: ["input": ["code": "import time\ntime.sleep(2.5)\nprint('slept')\n"]])
                #expect(call.status == .ok && call.json["isError"] == false, "\(call)")
                #expect(call.json["output"]?["stdout"] == "slept\n", "\(call)")
                // The same connection serves the next request at once.
                #expect(try await fresh.get("/healthz").status == .ok)
            }
        }
    }
}

/// A raw TCP connection to the server on 127.0.0.1, for what HTTP clients never do: stop halfway
/// through a request.
struct RawConnection: Sendable {
    let descriptor: Int32

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EBADF) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let error = POSIXError(POSIXErrorCode(rawValue: errno) ?? .ECONNREFUSED)
            Glibc.close(descriptor)
            throw error
        }
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard Glibc.send(descriptor, bytes, bytes.count, Int32(MSG_NOSIGNAL)) == bytes.count else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
    }

    /// When the server closed the connection (end of stream or a reset), polled without blocking a
    /// thread; nil when it is still open after `limit`.
    func waitForClose(limit: Duration) async -> ContinuousClock.Instant? {
        let deadline = ContinuousClock.now + limit
        var buffer = [UInt8](repeating: 0, count: 512)
        while true {
            // Looked at once more after the deadline: a task that resumes late (the pool busy with
            // other suites) must still see a close that happened in time.
            let past = ContinuousClock.now >= deadline
            let count = recv(descriptor, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if count == 0 || (count < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) { return .now }
            if past { return nil }
            if count < 0 { try? await Task.sleep(for: .milliseconds(20)) }
        }
    }

    func close() { Glibc.close(descriptor) }
}
