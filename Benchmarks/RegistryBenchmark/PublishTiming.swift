import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Registry

/// Times `POST /api/v1/packages` of a 1 MiB package, one upload after another, as `toolhost publish` sends it.
enum PublishTiming {
    /// A package of `bench/payload` at `version` with 1 MiB of incompressible bytes (the same bytes in
    /// every run: a fixed seed), packed as the CLI packs it.
    static func archive(version: String, in scratch: URL) throws -> Data {
        let directory = scratch.appendingPathComponent("payload-\(version)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("data"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let manifest = """
            {"name": "bench/payload", "version": "\(version)", "description": "A megabyte of data.", "license": "MIT", "authors": ["Bench"],
             "runtime": {"type": "python3", "entrypoint": "main.py"},
             "tools": [{"name": "echo", "title": "Echo", "description": "Returns its input.",
                        "inputSchema": {"type": "object", "properties": {"text": {"type": "string"}}},
                        "outputSchema": {"type": "object", "properties": {"text": {"type": "string"}}},
                        "annotations": {"readOnlyHint": true, "destructiveHint": false, "idempotentHint": true, "openWorldHint": false},
                        "privilegeLevel": 1, "permissions": {"network": {"egress": []}, "filesystem": {"write": false}, "subprocess": false},
                        "limits": {"timeoutMs": 5000}}]}
            """
        try Data(manifest.utf8).write(to: directory.appendingPathComponent("toolhost.json"))
        try Data("import json,sys\nprint(json.dumps({'output': json.load(sys.stdin)['input']}))\n".utf8)
            .write(to: directory.appendingPathComponent("main.py"))
        try payload.write(to: directory.appendingPathComponent("data/random.bin"))
        return try PackageArchiveWriter().pack(directory: directory)
    }

    /// 1 MiB from a seeded xorshift generator.
    static let payload: Data = {
        var state: UInt64 = 0x5EED_1234_ABCD_0001
        var data = Data(count: 1 << 20)
        data.withUnsafeMutableBytes { buffer in
            for offset in stride(from: 0, to: buffer.count, by: 8) {
                state ^= state << 13
                state ^= state >> 7
                state ^= state << 17
                buffer.storeBytes(of: state, toByteOffset: offset, as: UInt64.self)
            }
        }
        return data
    }()

    /// Publishes `count` versions one after another; the wall time of each upload in milliseconds.
    /// - Throws: when an upload is not accepted.
    static func measure(server: ServerUnderTest, key: String, count: Int) async throws -> (times: [Double], archiveBytes: Int) {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("registry-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let archives = try (0..<count).map { try archive(version: "1.\($0).0", in: scratch) }
        let times = try await TestClient.withClient(host: "127.0.0.1", port: server.port) { client in
            var times: [Double] = []
            for archive in archives {
                var headers = HTTPFields()
                headers[.authorization] = "Bearer \(key)"
                headers[HTTPField.Name("X-Toolhost-Checksum")!] = PackageDigest(of: archive).hex
                let start = ContinuousClock.now
                let response = try await client.post("/api/v1/packages", headers: headers, body: ByteBuffer(bytes: archive))
                let elapsed = ContinuousClock.now - start
                guard response.status == .created else {
                    throw BenchmarkError("publish answered \(response.status): \(response.body.map { String(buffer: $0) } ?? "")")
                }
                times.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
            }
            return times
        }
        return (times, archives.first?.count ?? 0)
    }
}
