import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore

/// Tool calls over HTTP: `hash_digest` driven by wrk (throughput and p50), and `python_exec`
/// `print(1)` one call after another against a bare `python3 -c 'print(1)'`, interleaved.
enum InvokeTiming {
    /// A wrk script that POSTs one JSON body.
    static func postScript(body: String) -> String {
        """
        wrk.method = "POST"
        wrk.body = [[\(body)]]
        wrk.headers["Content-Type"] = "application/json"
        """
    }

    static let hashBody = #"{"input": {"algorithm": "sha256", "text": "abc"}}"#

    /// Checks that one call answers 200 with the expected output before wrk hammers it.
    static func check(server: ServerUnderTest, key: String, path: String, body: String, expecting: String) async throws {
        let answer = try await post(server: server, key: key, path: path, body: body)
        guard answer.status == .ok, answer.body.contains(expecting) else {
            throw BenchmarkError("POST \(path) answered \(answer.status): \(answer.body)")
        }
    }

    /// p50 of `rounds` python_exec calls over HTTP and of bare python3, interleaved.
    static func pythonRatio(server: ServerUnderTest, key: String, rounds: Int) async throws -> (bare: Double, invoked: Double) {
        let body = #"{"input": {"code": "print(1)"}}"#
        var bare: [Double] = []
        var invoked: [Double] = []
        for round in 0..<(rounds + 5) {
            let start = ContinuousClock.now
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = ["-c", "print(1)"]
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            let b = milliseconds(ContinuousClock.now - start)
            let callStart = ContinuousClock.now
            let answer = try await post(server: server, key: key, path: "/api/v1/tools/python_exec/invoke", body: body)
            let i = milliseconds(ContinuousClock.now - callStart)
            guard answer.status == .ok, answer.body.contains(#""stdout":"1\n""#) || answer.body.contains(#""stdout" : "1\n""#) else {
                throw BenchmarkError("python_exec answered \(answer.status): \(answer.body)")
            }
            if round >= 5 {
                bare.append(b)
                invoked.append(i)
            }
        }
        return (median(bare), median(invoked))
    }

    static func post(server: ServerUnderTest, key: String, path: String, body: String) async throws -> (status: HTTPResponse.Status, body: String) {
        try await TestClient.withClient(host: "127.0.0.1", port: server.port) { client in
            var headers = HTTPFields()
            headers[.authorization] = "Bearer \(key)"
            headers[.contentType] = "application/json"
            let response = try await client.post(path, headers: headers, body: ByteBuffer(string: body))
            return (response.status, response.body.map { String(buffer: $0) } ?? "")
        }
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }
}
