import TestSupport
import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Registry
import Testing
import ToolhostCore

/// `kill -9` of the real `toolhost serve` while several clients publish, then a restart on the same
/// data directory: the store must be consistent, every acknowledged publish must be there, and no
/// version may be half there.
@Suite("Crash consistency", .serialized)
struct CrashConsistencyTests {
    /// A version a client published, as the server acknowledged it (201).
    struct Published: Hashable, Sendable {
        var name: String
        var version: String
        var sha256: String
    }

    static let uploaders = 4
    static let rounds = 3

    @Test("killing the server with SIGKILL during concurrent publishes leaves a consistent store that keeps working after a restart")
    func killDuringPublish() async throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("toolhost-crash-\(UUID().uuidString)")
        let data = base.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }

        var acknowledged: Set<Published> = []
        var interrupted = 0
        var orphans = 0
        var server = try await ServerProcess.start(dataDirectory: data)
        for round in 1...Self.rounds {
            let key = try server.adminKey
            let killer = server
            // Each uploader publishes new versions of its own package, one after the other, until the
            // connection dies; the server is killed at a random moment once publishing is under way.
            let results = try await withThrowingTaskGroup(of: (published: [Published], interrupted: Bool).self) { group in
                let started = Box(false)
                for uploader in 0..<Self.uploaders {
                    group.addTask {
                        try await Self.publishUntilKilled(server: killer, key: key, package: "crash/p\(uploader)", major: round) {
                            started.value = true
                        }
                    }
                }
                group.addTask {
                    while !started.value { try await Task.sleep(for: .milliseconds(10)) }
                    try await Task.sleep(for: .milliseconds(Int.random(in: 200...1200)))
                    killer.kill9()
                    return ([], false)
                }
                var all: [(published: [Published], interrupted: Bool)] = []
                for try await result in group { all.append(result) }
                return all
            }
            acknowledged.formUnion(results.flatMap(\.published))
            interrupted += results.filter(\.interrupted).count
            // What the crash left: blobs written for versions that never committed, and temporary files.
            let leftBehind = try Self.blobsWithoutVersion(data)
            orphans += leftBehind

            // Restart on the same data directory: start-up sweeps blobs a crash left without a version.
            server = try await ServerProcess.start(dataDirectory: data)
            let stored = try Self.checkStore(data, acknowledged: acknowledged, round: round)
            try await Self.checkDownloads(server, stored: stored)
            // Publishing continues where it stopped.
            for uploader in 0..<Self.uploaders {
                let after = try await Self.publish(server: server, key: try server.adminKey, package: "crash/p\(uploader)", version: "\(round).999.0")
                let published = try #require(after, "publishing after the restart failed")
                acknowledged.insert(published)
            }
        }
        await server.stop()
        _ = try Self.checkStore(data, acknowledged: acknowledged, round: Self.rounds + 1)
        print("crash consistency: \(Self.rounds) kills, \(acknowledged.count) acknowledged publishes, \(interrupted) uploads cut off, "
            + "\(orphans) blob file(s) left by the crashes and swept")
        #expect(interrupted > 0, "no upload was in flight when the server was killed; the test did not test a crash mid-publish")
        #expect(acknowledged.count >= Self.rounds * Self.uploaders)
    }

    /// Publishes `package` at `major.0.0`, `major.1.0`, … until a request fails.
    /// - Returns: what the server acknowledged, and whether a request failed in flight.
    static func publishUntilKilled(
        server: ServerProcess, key: String, package: String, major: Int, onFirstAcknowledged: @escaping @Sendable () -> Void
    ) async throws -> (published: [Published], interrupted: Bool) {
        var published: [Published] = []
        var minor = 0
        while true {
            let archive = try archive(package: package, version: "\(major).\(minor).0")
            let result: Published?
            do {
                result = try await publish(server: server, key: key, archive: archive)
            } catch {
                return (published, true)
            }
            guard let result else { return (published, false) }
            published.append(result)
            onFirstAcknowledged()
            minor += 1
        }
    }

    static func publish(server: ServerProcess, key: String, package: String, version: String) async throws -> Published? {
        try await publish(server: server, key: key, archive: try archive(package: package, version: version))
    }

    /// One upload on its own connection; nil when the server answered with anything but 201.
    /// - Throws: when the connection fails (the server is gone).
    static func publish(server: ServerProcess, key: String, archive: Data) async throws -> Published? {
        try await server.withClient { client in
            var headers = ServerFixture.headers(key)
            headers[HTTPField.Name("X-Toolhost-Checksum")!] = PackageDigest(of: archive).hex
            let response = try await client.post("/api/v1/packages", headers: headers, body: ByteBuffer(bytes: archive))
            guard response.status == .created, let body = response.body,
                let json = try? JSONValue(parsing: Data(body.readableBytesView)),
                let name = json["name"]?.stringValue, let version = json["version"]?.stringValue, let sha256 = json["sha256"]?.stringValue
            else { return nil }
            return Published(name: name, version: version, sha256: sha256)
        }
    }

    /// A package with 512 KiB of incompressible bytes, the same bytes for the same name and version.
    static func archive(package: String, version: String) throws -> Data {
        var generator = SplitMix64(seed: UInt64(truncatingIfNeeded: "\(package)@\(version)".hashValueStable))
        var payload = Data(count: 512 << 10)
        payload.withUnsafeMutableBytes { buffer in
            for index in stride(from: 0, to: buffer.count, by: 8) { buffer.storeBytes(of: generator.next(), toByteOffset: index, as: UInt64.self) }
        }
        return try ArchiveBuilder.package(UploadManifest.text(name: package, version: version)) { try $0.file("fixtures/random.bin", payload) }
    }

    /// The database passes SQLite's own checks, every version with an archive has its blob, every
    /// blob belongs to a version and hashes to its name, and every acknowledged publish is there.
    /// - Returns: the published versions the catalog lists.
    static func checkStore(_ data: URL, acknowledged: Set<Published>, round: Int) throws -> Set<Published> {
        let database = try StoreSnapshot.database(in: data)
        defer { try? database.close() }
        let (integrity, foreignKeys, stored) = try database.read { db in
            (
                try String.fetchAll(db, sql: "PRAGMA integrity_check"),
                try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count,
                Set(try Row.fetchAll(db, sql: """
                    SELECT p.name, v.version, v.sha256 FROM packageVersion v JOIN package p ON p.id = v.packageId WHERE v.sha256 IS NOT NULL
                    """).map { Published(name: $0["name"], version: $0["version"], sha256: $0["sha256"]) })
            )
        }
        #expect(integrity == ["ok"], "round \(round): PRAGMA integrity_check: \(integrity)")
        #expect(foreignKeys == 0, "round \(round): \(foreignKeys) foreign key violation(s)")
        let lost = acknowledged.subtracting(stored)
        #expect(lost.isEmpty, "round \(round): acknowledged publishes missing after the crash: \(lost)")

        let blobs = StoreSnapshot.blobFiles(of: data).keys
        let blobDigests = Set(blobs.map { String($0.split(separator: "/").last!) })
        #expect(!blobs.contains { $0.contains(".tmp-") }, "round \(round): temporary blob files survived the start-up sweep")
        let versionDigests = Set(stored.map(\.sha256))
        #expect(blobDigests == versionDigests, """
            round \(round): blobs without a version \(blobDigests.subtracting(versionDigests)), \
            versions without a blob \(versionDigests.subtracting(blobDigests))
            """)
        for path in blobs {
            let bytes = try Data(contentsOf: data.appendingPathComponent("blobs").appendingPathComponent(path))
            #expect(PackageDigest(of: bytes).hex == path.split(separator: "/").last.map(String.init),
                    "round \(round): blob \(path) is not what its name says")
        }
        return stored
    }

    /// The blob files (temporary ones included) that no version refers to.
    static func blobsWithoutVersion(_ data: URL) throws -> Int {
        let database = try StoreSnapshot.database(in: data, readonly: true)
        defer { try? database.close() }
        let referenced = try database.read { db in Set(try String.fetchAll(db, sql: "SELECT sha256 FROM packageVersion WHERE sha256 IS NOT NULL")) }
        return StoreSnapshot.blobFiles(of: data).keys.filter { !referenced.contains(String($0.split(separator: "/").last!)) }.count
    }

    /// Through the API: every listed version of the test packages downloads and hashes to its sha256.
    static func checkDownloads(_ server: ServerProcess, stored: Set<Published>) async throws {
        let key = try server.adminKey
        try await server.withClient { client in
            var listed: Set<Published> = []
            for uploader in 0..<Self.uploaders {
                let name = "crash/p\(uploader)"
                let package = try await client.get("/api/v1/packages/\(name)", headers: ServerFixture.headers(key))
                guard package.status == .ok else { continue }  // killed before its first publish committed
                let versions = try JSONValue(parsing: Data(package.body!.readableBytesView))["versions"]?.arrayValue ?? []
                for version in versions.compactMap({ $0["version"]?.stringValue }) {
                    let detail = try await client.get("/api/v1/packages/\(name)/versions/\(version)", headers: ServerFixture.headers(key))
                    let sha256 = try JSONValue(parsing: Data(detail.body!.readableBytesView))["sha256"]?.stringValue ?? ""
                    let archive = try await client.get("/api/v1/packages/\(name)/versions/\(version)/archive", headers: ServerFixture.headers(key))
                    #expect(archive.status == .ok, "\(name)@\(version) is listed but its archive is not there")
                    #expect(PackageDigest(of: Data(archive.body?.readableBytesView ?? ByteBuffer().readableBytesView)).hex == sha256,
                            "\(name)@\(version): the archive does not hash to its sha256")
                    listed.insert(Published(name: name, version: version, sha256: sha256))
                }
            }
            #expect(listed == stored, "the API lists \(listed.count) versions, the database has \(stored.count)")
        }
    }
}

/// A small fast generator with a seed, so that the uploads are the same from run to run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension String {
    /// FNV-1a of the UTF-8 bytes: unlike `hashValue`, the same in every process.
    var hashValueStable: UInt64 {
        utf8.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01B3 }
    }
}
