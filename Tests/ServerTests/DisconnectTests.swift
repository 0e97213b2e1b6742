import Foundation
import Glibc
import HTTPTypes
import Host
import HummingbirdTesting
import Sandbox
import Server
import Testing
import ToolhostCore

/// Issue 11, point 5, over HTTP: a client that goes away takes its call with it.
@Suite("A client that disconnects mid-call")
struct DisconnectTests {
    /// Processes on this machine whose command line holds `marker`.
    static func processes(holding marker: String) -> Int {
        let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.filter { $0.allSatisfy(\.isNumber) } ?? []
        return pids.filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return String(decoding: data, as: UTF8.self).contains(marker)
        }.count
    }

    /// Polls `condition` until it holds or `limit` passes.
    static func eventually(_ limit: Duration, _ condition: () async throws -> Bool) async rethrows -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }

    @Test("its sandboxed run is killed, not left to its limit, and the call's span says cancelled")
    func runIsKilled() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        let key = fixture.server.adminKey
        let marker = "disconnect-marker-\(UUID().uuidString.prefix(8))"
        try await fixture.withClient { client in
            let port = try #require(client.port)
            let raw = try RawConnection(port: port)
            // The marker is an argument, so it shows in the program's command line.
            let input: JSONValue = ["code": "import time\ntime.sleep(60)\n", "args": [.string(marker)], "timeoutMs": 60_000]
            let body = JSONValue.object(["input": input]).serialized()
            try raw.send("POST /api/v1/tools/python_exec/invoke HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(key)\r\n"
                + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
            #expect(await Self.eventually(.seconds(30)) { Self.processes(holding: marker) > 0 }, "the program never started")
            let closed = ContinuousClock.now
            raw.close()
            #expect(await Self.eventually(.seconds(20)) { Self.processes(holding: marker) == 0 }, "the program outlived its client")
            #expect(ContinuousClock.now - closed < .seconds(20))
            let recorded = try await Self.eventually(.seconds(20)) {
                let spans = try await client.send(.get, "/api/v1/traces?tool=python_exec", key: key).json["spans"]?.arrayValue ?? []
                return spans.first?["errorType"] == "cancelled"
            }
            let spans = try await client.send(.get, "/api/v1/traces?tool=python_exec", key: key).json["spans"]?.arrayValue ?? []
            #expect(recorded, "\(spans)")
            #expect(spans.first?["status"] == "error" && spans.first?["sandbox"]?["outcome"] == "cancelled", "\(spans)")
        }
        await fixture.server.host.sandbox?.quiesce()
    }
}
