import Foundation
import HTTPTypes
import HummingbirdTesting
import Registry
import Server
import Testing
import ToolhostCore

@Suite("The data directory is private to the server's user", .serialized)
struct DataDirectoryModesTests {
    static func mode(_ url: URL) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: url.path))?[.posixPermissions] as? Int
    }

    @Test("after a fresh start and a publish: database, -wal, -shm, blobs and admin.key 0600, blobs 0700, the sandbox's way in 0711; packaged tools still run")
    func modesAfterStartAndPublish() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        let key = fixture.server.adminKey
        let archive = try TestPackages.archive()
        let digest = PackageDigest(of: archive).hex
        try await fixture.withClient { client in
            let published = try await client.publish(archive, key: key, visibility: "private")
            #expect(published.status == .created, "\(published)")
            // The sandbox's user (nobody, when the server runs as root) still reaches the package at /pkg.
            let call = try await client.send(.post, "/api/v1/tools/acme/echo/echo/invoke", key: key, json: ["input": ["text": "private"]])
            #expect(call.status == .ok && call.json["output"] == ["text": "private"], "\(call)")
        }
        let data = fixture.directory
        let blobDirectory = data.appendingPathComponent("blobs/sha256/\(digest.prefix(2))")
        let files = ["toolhost.sqlite", "toolhost.sqlite-wal", "toolhost.sqlite-shm", "admin.key", "blobs/sha256/\(digest.prefix(2))/\(digest)"]
        for file in files {
            #expect(Self.mode(data.appendingPathComponent(file)) == 0o600, "\(file): \(Self.mode(data.appendingPathComponent(file)).map { String($0, radix: 8) } ?? "missing")")
        }
        for directory in [data.appendingPathComponent("blobs"), data.appendingPathComponent("blobs/sha256"), blobDirectory] {
            #expect(Self.mode(directory) == 0o700, "\(directory.path)")
        }
        for directory in [data, data.appendingPathComponent("packages"), data.appendingPathComponent("workspaces")] {
            #expect(Self.mode(directory) == 0o711, "\(directory.path)")
        }
        #expect(FileManager.default.fileExists(atPath: data.appendingPathComponent("packages/\(digest)/main.py").path))
    }
}
