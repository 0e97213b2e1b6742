import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Registry
import Server
import Storage
import Testing
import ToolhostCore

/// The caches of the read path (API keys, rendered tools) must never hide a write made through the
/// server, and must let a write made by another process show within their lifetime.
@Suite("Read caches")
struct ReadCacheTests {
    /// A live server whose caches live `lifetime`.
    struct CachedServer {
        let directory: URL
        let server: ToolhostServer

        init(lifetime: Duration) async throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("toolhost-cache-\(UUID().uuidString)")
            var configuration = ServerConfiguration()
            configuration.port = 0
            configuration.dataDirectory = directory
            configuration.cacheLifetime = lifetime
            server = try await ToolhostServer(configuration: configuration)
        }

        /// The registry's stores on another connection to the same database file: what a `toolhost`
        /// command run against the data directory while the server runs looks like to the server.
        func otherProcess() throws -> RegistryStores {
            try RegistryStores.sqlite(try SQLiteDatabase(path: directory.appendingPathComponent("toolhost.sqlite").path),
                                      blobs: BlobStore(root: directory.appendingPathComponent("blobs")))
        }

        func cleanUp() { try? FileManager.default.removeItem(at: directory) }
    }

    static func show(_ client: any TestClientProtocol, _ uri: String, key: String) async throws -> JSONValue {
        try await client.execute(uri: uri, method: .get, headers: ServerFixture.headers(key)) { response in
            #expect(response.status == .ok, "\(response.json)")
            return response.json
        }
    }

    @Test("a publish, a yank and a deprecation through the API show in the very next read of the tool")
    func writesThroughTheServerAreSeenAtOnce() async throws {
        let fixture = try await CachedServer(lifetime: .seconds(3600))
        defer { fixture.cleanUp() }
        let key = fixture.server.adminKey
        try await fixture.withClient { client in
            let publish = { (version: String) in
                try await client.execute(uri: "/api/v1/packages", method: .post, headers: ServerFixture.headers(key),
                                         body: ByteBuffer(bytes: try TestPackages.archive(version: version))) { #expect($0.status == .created) }
            }
            try await publish("1.0.0")
            #expect(try await Self.show(client, "/api/v1/tools/acme/echo/echo", key: key)["version"] == "1.0.0")
            try await publish("1.1.0")
            let after = try await Self.show(client, "/api/v1/tools/acme/echo/echo", key: key)
            #expect(after["version"] == "1.1.0")
            #expect(after["versions"]?.arrayValue?.count == 2)

            try await client.execute(uri: "/api/v1/packages/acme/echo/versions/1.1.0/yank", method: .post, headers: ServerFixture.headers(key)) {
                #expect($0.status == .ok)
            }
            #expect(try await Self.show(client, "/api/v1/tools/acme/echo/echo", key: key)["version"] == "1.0.0")
            try await client.execute(uri: "/api/v1/packages/acme/echo/versions/1.0.0/deprecate", method: .post, headers: ServerFixture.headers(key),
                                     body: ByteBuffer(string: #"{"message": "use 2.x"}"#)) { #expect($0.status == .ok) }
            let versions = try await Self.show(client, "/api/v1/tools/acme/echo/echo", key: key)["versions"]?.arrayValue ?? []
            #expect(versions.contains { $0["version"] == "1.0.0" && $0["deprecationMessage"] == "use 2.x" })
        }
    }

    @Test("the same tool is rendered per tenant: a private package cached for its owner stays 404 for another tenant")
    func cachedPerTenant() async throws {
        let fixture = try await CachedServer(lifetime: .seconds(3600))
        defer { fixture.cleanUp() }
        let acme = try await fixture.server.registry.keys.createAPIKey(tenant: "acme", name: "acme", maxPrivilege: .executeSafe, scopes: [.read, .publish]).secret
        let globex = try await fixture.server.registry.keys.createAPIKey(tenant: "globex", name: "globex", maxPrivilege: .executeSafe, scopes: [.read]).secret
        try await fixture.withClient { client in
            try await client.execute(uri: "/api/v1/packages?visibility=private", method: .post, headers: ServerFixture.headers(acme),
                                     body: ByteBuffer(bytes: try TestPackages.archive())) { #expect($0.status == .created) }
            _ = try await Self.show(client, "/api/v1/tools/acme/echo/echo", key: acme)
            try await client.execute(uri: "/api/v1/tools/acme/echo/echo", method: .get, headers: ServerFixture.headers(globex)) {
                #expect($0.status == .notFound)
            }
        }
    }

    @Test("a publish and a yank by another process on the same data directory show in the next read after a few milliseconds, cached or not")
    func writesByAnotherProcessAreSeenAtOnce() async throws {
        let fixture = try await CachedServer(lifetime: .seconds(3600))
        defer { fixture.cleanUp() }
        let key = fixture.server.adminKey
        try await fixture.withClient { client in
            try await client.execute(uri: "/api/v1/packages", method: .post, headers: ServerFixture.headers(key),
                                     body: ByteBuffer(bytes: try TestPackages.archive(version: "1.0.0"))) { #expect($0.status == .created) }
            #expect(try await Self.show(client, "/api/v1/tools/acme/echo/echo", key: key)["version"] == "1.0.0")
            // Another connection to the same file is what another process is to SQLite.
            let other = try fixture.otherProcess()
            _ = try await other.publishing.publish(PublishRequest(archive: try TestPackages.archive(version: "1.1.0"), caller: .localAdmin))
            try await Task.sleep(for: .milliseconds(5))  // the server samples the database's version every 2 ms
            #expect(try await Self.show(client, "/api/v1/tools/acme/echo/echo", key: key)["version"] == "1.1.0")
            try await other.publishing.setYanked(true, name: "acme/echo", version: try SemanticVersion(parsing: "1.1.0"), reason: "by the CLI", caller: .localAdmin)
            try await Task.sleep(for: .milliseconds(5))
            #expect(try await Self.show(client, "/api/v1/tools/acme/echo/echo", key: key)["version"] == "1.0.0")
        }
    }

    @Test("with a cache lifetime of zero, a change by another process shows in the next read")
    func cachesOff() async throws {
        let fixture = try await CachedServer(lifetime: .zero)
        defer { fixture.cleanUp() }
        let key = fixture.server.adminKey
        try await fixture.withClient { client in
            for version in ["1.0.0", "1.1.0"] {
                try await client.execute(uri: "/api/v1/packages", method: .post, headers: ServerFixture.headers(key),
                                         body: ByteBuffer(bytes: try TestPackages.archive(version: version))) { #expect($0.status == .created) }
            }
            #expect(try await Self.show(client, "/api/v1/tools/acme/echo/echo", key: key)["version"] == "1.1.0")
            try await fixture.otherProcess().publishing.setYanked(
                true, name: "acme/echo", version: try SemanticVersion(parsing: "1.1.0"), reason: nil, caller: .localAdmin)
            #expect(try await Self.show(client, "/api/v1/tools/acme/echo/echo", key: key)["version"] == "1.0.0")
        }
    }

    @Test("a key created by another process works at once, and a wrong key is refused even after a right one was cached")
    func keysFromAnotherProcess() async throws {
        let fixture = try await CachedServer(lifetime: .seconds(3600))
        defer { fixture.cleanUp() }
        try await fixture.withClient { client in
            try await client.execute(uri: "/api/v1/tools?limit=1", method: .get, headers: ServerFixture.headers(fixture.server.adminKey)) {
                #expect($0.status == .ok)
            }
            let created = try await fixture.otherProcess().keys.createAPIKey(tenant: "local", name: "late", maxPrivilege: .readOnly, scopes: [.read])
            try await client.execute(uri: "/api/v1/tools?limit=1", method: .get, headers: ServerFixture.headers(created.secret)) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: "/api/v1/tools?limit=1", method: .get, headers: ServerFixture.headers(created.secret + "x")) {
                #expect($0.status == .unauthorized)
            }
        }
    }
}

extension ReadCacheTests.CachedServer {
    func withClient(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await server.application().test(.live) { client in try await body(client) }
    }
}
