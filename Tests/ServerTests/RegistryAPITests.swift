import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Registry
import Server
import Testing
import ToolhostCore

@Suite("The registry's HTTP API", .serialized)
struct RegistryAPITests {
    @Test("health and readiness answer without a key; /api/v1 without a key or with a bad one is 401 in the JSON error form")
    func healthAndAuth() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        try await fixture.withClient { client in
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/readyz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/v1/tools", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.json["error"]?["code"] == "unauthorized")
            }
            try await client.execute(uri: "/api/v1/tools", method: .get, headers: ServerFixture.headers("thk_nope")) {
                #expect($0.status == .unauthorized)
            }
        }
    }

    @Test("the admin key created on first start is stored with mode 0600 and lists the 24 built-ins")
    func adminKeyAndSearch() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        let attributes = try FileManager.default.attributesOfItem(atPath: fixture.server.adminKeyFile.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let key = fixture.server.adminKey
        try await fixture.withClient { client in
            try await client.execute(uri: "/api/v1/tools?limit=200", method: .get, headers: ServerFixture.headers(key)) { response in
                #expect(response.status == .ok)
                #expect(response.json["tools"]?.arrayValue?.count == 24)
            }
            try await client.execute(uri: "/api/v1/tools?q=pdf%20text&maxPrivilege=2&readOnly=true", method: .get, headers: ServerFixture.headers(key)) {
                #expect($0.json["tools"]?[0]?["name"] == "pdf_extract_text")
            }
            try await client.execute(uri: "/api/v1/tools?limit=10", method: .get, headers: ServerFixture.headers(key)) { response in
                #expect(response.json["tools"]?.arrayValue?.count == 10)
                #expect(response.json["nextCursor"]?.stringValue != nil)
            }
            try await client.execute(uri: "/api/v1/tools?maxPrivilege=9", method: .get, headers: ServerFixture.headers(key)) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.json["error"]?["message"]?.stringValue?.contains("maxPrivilege") == true)
            }
            try await client.execute(uri: "/api/v1/tools/file_read", method: .get, headers: ServerFixture.headers(key)) {
                #expect($0.json["definition"]?["privilegeLevel"] == 1)
            }
        }
    }

    @Test("publishing stores the archive by hash; the same version again is 409; a tampered checksum is refused")
    func publishing() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        let key = fixture.server.adminKey
        let archive = try TestPackages.archive()
        let digest = PackageDigest(of: archive).hex
        try await fixture.withClient { client in
            var headers = ServerFixture.headers(key)
            headers[HTTPField.Name("X-Toolhost-Checksum")!] = digest
            try await client.execute(uri: "/api/v1/packages", method: .post, headers: headers, body: ByteBuffer(bytes: archive)) { response in
                #expect(response.status == .created, "\(response.json)")
                #expect(response.json["sha256"]?.stringValue == digest)
            }
            try await client.execute(uri: "/api/v1/packages", method: .post, headers: headers, body: ByteBuffer(bytes: archive)) { response in
                #expect(response.status == .conflict)
            }
            try await client.execute(uri: "/api/v1/packages/acme/echo/versions/1.0.0/archive", method: .get, headers: ServerFixture.headers(key)) { response in
                #expect(response.status == .ok)
                #expect(Data(response.body.readableBytesView) == archive)
            }
            try await client.execute(uri: "/api/v1/tools/acme/echo/echo", method: .get, headers: ServerFixture.headers(key)) {
                #expect($0.json["version"] == "1.0.0")
            }
            let other = try TestPackages.archive(version: "1.0.1")
            headers[HTTPField.Name("X-Toolhost-Checksum")!] = String(repeating: "0", count: 64)
            try await client.execute(uri: "/api/v1/packages", method: .post, headers: headers, body: ByteBuffer(bytes: other)) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.json["error"]?["details"]?["publishCode"] == "checksum_mismatch")
            }
        }
        #expect(FileManager.default.fileExists(atPath: fixture.directory.appendingPathComponent("blobs/sha256/\(digest.prefix(2))/\(digest)").path))
    }

    @Test("a version that differs from a published one only in build metadata is 409 version_exists naming it; the catalog stays as it was")
    func buildMetadata() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        let key = fixture.server.adminKey
        try await fixture.withClient { client in
            for version in ["1.0.0", "2.0.0-rc.1+a"] {
                let archive = try TestPackages.archive(version: version)
                try await client.execute(uri: "/api/v1/packages", method: .post, headers: ServerFixture.headers(key), body: ByteBuffer(bytes: archive)) {
                    #expect($0.status == .created, "\(version)")
                }
            }
            for (version, existing) in [("1.0.0+build.7", "1.0.0"), ("2.0.0-rc.1", "2.0.0-rc.1+a"), ("1.0.0", "1.0.0")] {
                let archive = try TestPackages.archive(version: version)
                try await client.execute(uri: "/api/v1/packages", method: .post, headers: ServerFixture.headers(key), body: ByteBuffer(bytes: archive)) {
                    #expect($0.status == .conflict, "\(version)")
                    let error = $0.json["error"]
                    #expect(error?["details"]?["publishCode"] == "version_exists", "\(version): \($0.json)")
                    #expect(error?["details"]?["existing"] == .string(existing), "\(version)")
                    #expect(error?["message"]?.stringValue?.contains("acme/echo@\(existing)") == true, "\(version): \($0.json)")
                }
            }
            let package = try await client.send(.get, "/api/v1/packages/acme/echo", key: key)
            let versions = package.json["versions"]?.arrayValue?.compactMap { $0["version"]?.stringValue } ?? []
            #expect(Set(versions) == ["1.0.0", "2.0.0-rc.1+a"], "\(package.json)")
            let buildSeven = try await client.send(.get, "/api/v1/packages/acme/echo/versions/1.0.0+build.7", key: key)
            #expect(buildSeven.status == .notFound, "\(buildSeven)")
        }
    }

    @Test("tenants: another tenant's private package is 404, its namespace is 403, and keys respect scope and privilege")
    func tenants() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        let acme = try await fixture.server.registry.keys.createAPIKey(tenant: "acme", name: "acme", maxPrivilege: .executeSafe, scopes: [.read, .publish]).secret
        let globex = try await fixture.server.registry.keys.createAPIKey(tenant: "globex", name: "globex", maxPrivilege: .executeSafe, scopes: [.read, .publish]).secret
        let readOnly = try await fixture.server.registry.keys.createAPIKey(tenant: "globex", name: "reader", maxPrivilege: .readOnly, scopes: [.read]).secret
        let archive = try TestPackages.archive()
        try await fixture.withClient { client in
            try await client.execute(uri: "/api/v1/packages?visibility=private", method: .post, headers: ServerFixture.headers(acme), body: ByteBuffer(bytes: archive)) {
                #expect($0.status == .created, "\($0.json)")
            }
            try await client.execute(uri: "/api/v1/tools/acme/echo/echo", method: .get, headers: ServerFixture.headers(acme)) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/v1/tools/acme/echo/echo", method: .get, headers: ServerFixture.headers(globex)) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/api/v1/packages/acme/echo", method: .get, headers: ServerFixture.headers(globex)) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/api/v1/tools?q=echo", method: .get, headers: ServerFixture.headers(globex)) {
                #expect($0.json["tools"]?.arrayValue?.contains { $0["name"] == "acme/echo/echo" } == false)
            }
            let next = try TestPackages.archive(version: "2.0.0")
            try await client.execute(uri: "/api/v1/packages", method: .post, headers: ServerFixture.headers(globex), body: ByteBuffer(bytes: next)) { response in
                #expect(response.status == .forbidden)
                #expect(response.json["error"]?["details"]?["publishCode"] == "namespace_owned")
            }
            try await client.execute(uri: "/api/v1/packages", method: .post, headers: ServerFixture.headers(readOnly), body: ByteBuffer(bytes: next)) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(uri: "/api/v1/keys", method: .post, headers: ServerFixture.headers(acme),
                                     body: ByteBuffer(string: #"{"maxPrivilege": 1, "scopes": ["read"]}"#)) {
                #expect($0.status == .forbidden)
            }
        }
    }

    @Test("an understated privilege and a breaking change without a major bump are refused with the reason")
    func pipelineRefusals() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        let key = fixture.server.adminKey
        try await fixture.withClient { client in
            let understated = try TestPackages.archive(name: "acme/net", level: 1, egress: ["api.example.com"])
            try await client.execute(uri: "/api/v1/packages", method: .post, headers: ServerFixture.headers(key), body: ByteBuffer(bytes: understated)) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.json["error"]?["details"]?["publishCode"] == "understated_privilege" || response.json["error"]?["code"] == "invalid_manifest", "\(response.json)")
            }
            try await client.execute(uri: "/api/v1/packages", method: .post, headers: ServerFixture.headers(key), body: ByteBuffer(bytes: try TestPackages.archive())) {
                #expect($0.status == .created)
            }
            let breaking = try TestPackages.archive(version: "1.1.0", required: ["text"])
            try await client.execute(uri: "/api/v1/packages", method: .post, headers: ServerFixture.headers(key), body: ByteBuffer(bytes: breaking)) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.json["error"]?["details"]?["publishCode"] == "breaking_change", "\(response.json)")
            }
            let major = try TestPackages.archive(version: "2.0.0", required: ["text"])
            try await client.execute(uri: "/api/v1/packages", method: .post, headers: ServerFixture.headers(key), body: ByteBuffer(bytes: major)) {
                #expect($0.status == .created)
            }
        }
    }
}
