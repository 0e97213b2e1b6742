import TestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Registry
import Server
import Testing
import ToolhostCore

/// One upload a hostile (or careless) publisher could send to `POST /api/v1/packages`, with what
/// must already be in the registry, and how the server must refuse it.
struct HostileUpload: Sendable, CustomTestStringConvertible {
    /// The keys and signing keys a case uses.
    struct Session: Sendable {
        let client: any TestClientProtocol
        let admin: String
        /// A key of another tenant, `globex`.
        let globex: String
        let registeredSigner: PackageSigningKey
        let otherSigner: PackageSigningKey

        /// Publishes `archive`; `key` defaults to the local administrator's.
        func publish(_ archive: Data, key: String? = nil, checksum: String? = nil, signature: String? = nil) async throws -> TestResponse {
            var headers = ServerFixture.headers(key ?? admin)
            if let checksum { headers[HTTPField.Name("X-Toolhost-Checksum")!] = checksum }
            if let signature { headers[HTTPField.Name("X-Toolhost-Signature")!] = signature }
            return try await client.execute(uri: "/api/v1/packages", method: .post, headers: headers, body: ByteBuffer(bytes: archive)) { $0 }
        }

        /// Publishes and requires success: the state a case starts from.
        func mustPublish(_ archive: Data, key: String? = nil, signature: String? = nil) async throws {
            let response = try await publish(archive, key: key, signature: signature)
            try #require(response.status == .created, "setting up: \(response.json)")
        }

        func registerSigningKey(namespace: String) async throws {
            let body = ByteBuffer(string: #"{"publicKey": "\#(registeredSigner.publicKey.base64)"}"#)
            let uri = "/api/v1/namespaces/\(namespace)/signing-keys"
            try await client.execute(uri: uri, method: .post, headers: ServerFixture.headers(admin), body: body) {
                try #require($0.status == .created, "setting up: \($0.json)")
            }
        }
    }

    let name: String
    let status: HTTPResponse.Status
    /// `error.code`.
    let code: String
    /// `error.details.publishCode`, when the refusal has one.
    let publishCode: String?
    var setUp: @Sendable (Session) async throws -> Void = { _ in }
    let send: @Sendable (Session) async throws -> TestResponse
    /// Further checks of the `error` member.
    var check: @Sendable (JSONValue) -> Void = { _ in }

    var testDescription: String { name }

    static func archive(_ name: String, status: HTTPResponse.Status, code: String = "invalid_input", _ publishCode: String?,
                        check: @escaping @Sendable (JSONValue) -> Void = { _ in }, _ build: @escaping @Sendable () throws -> Data) -> HostileUpload {
        HostileUpload(name: name, status: status, code: code, publishCode: publishCode, send: { try await $0.publish(try build()) }, check: check)
    }

    static let corpus: [HostileUpload] = [
        archive("a `../evil` entry", status: .unprocessableContent, "path_traversal", check: { #expect($0["details"]?["entry"] == "../evil") }) {
            try ArchiveBuilder.package { try $0.file("../evil", "owned") }
        },
        archive("an absolute `/etc/passwd` entry", status: .unprocessableContent, "absolute_path") {
            try ArchiveBuilder.package { try $0.file("/etc/passwd", "root::0:0::/:/bin/sh") }
        },
        archive("a symlink to `/etc/shadow`", status: .unprocessableContent, "link_outside") {
            try ArchiveBuilder.package { try $0.symlink("shadow", to: "/etc/shadow") }
        },
        archive("a symlink climbing out with `../../`", status: .unprocessableContent, "link_outside") {
            try ArchiveBuilder.package { try $0.symlink("src/x", to: "../../x") }
        },
        archive("a hard link to `/etc/passwd`", status: .unprocessableContent, "hardlink") {
            try ArchiveBuilder.package { try $0.hardlink("passwd", to: "/etc/passwd") }
        },
        archive("a hard link to `../../outside`", status: .unprocessableContent, "hardlink") {
            try ArchiveBuilder.package { try $0.hardlink("copy", to: "../../outside") }
        },
        archive("a character device", status: .unprocessableContent, "special_file") {
            try ArchiveBuilder.package { try $0.node("dev/null", type: .characterDevice) }
        },
        archive("a setuid executable", status: .unprocessableContent, "setuid") {
            try ArchiveBuilder.package { try $0.file("run", "#!/bin/sh\n", mode: 0o4755) }
        },
        archive("a decompression bomb (8 MiB of zeros in a few KiB)", status: .contentTooLarge, code: "payload_too_large", "expansion_ratio") {
            try ArchiveBuilder.package { try $0.zeros("fixtures/zeros.bin", count: 8 << 20) }
        },
        archive("3,000 entries", status: .contentTooLarge, code: "payload_too_large", "too_many_entries") {
            try ArchiveBuilder.package { builder in
                for index in 0..<3000 { try builder.file(String(format: "data/%04d.txt", index), "x") }
            }
        },
        archive("a 300 KiB manifest", status: .contentTooLarge, code: "payload_too_large", "manifest_too_large") {
            var manifest = UploadManifest.json()
            if case .object(var members) = manifest {
                members["description"] = .string(String(repeating: "word ", count: 60_000))
                manifest = .object(members)
            }
            return try ArchiveBuilder.package(manifest.serialized())
        },
        archive("a manifest that is not JSON", status: .unprocessableContent, code: "invalid_manifest", nil,
                check: { #expect($0["details"]?["line"]?.intValue != nil, "\($0)") }) {
            try ArchiveBuilder.package(#"{"name": "acme/word-count", "version": "1.0.0",,}"#)
        },
        archive("a tool whose input schema is not a JSON Schema", status: .unprocessableContent, code: "invalid_manifest", nil,
                check: { error in
                    let fields = error["details"]?["problems"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? []
                    #expect(fields.contains { $0.hasPrefix("tools[0].inputSchema") }, "\(error)")
                }) {
            let broken = UploadManifest.tool(inputSchema: ["type": "object", "properties": ["text": ["type": "strnig"]], "required": "text"])
            return try ArchiveBuilder.package(UploadManifest.text(tools: [broken]))
        },
        archive("an understated privilege level (egress at level 1)", status: .unprocessableContent, code: "invalid_manifest",
                "understated_privilege") {
            try ArchiveBuilder.package(UploadManifest.text(tools: [UploadManifest.tool(level: 1, egress: ["api.example.com:443"])]))
        },
        archive("a version that is not SemVer (`1.0`)", status: .unprocessableContent, code: "invalid_manifest", nil,
                check: { error in
                    let fields = error["details"]?["problems"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? []
                    #expect(fields.contains("version"), "\(error)")
                }) {
            try ArchiveBuilder.package(UploadManifest.text(version: "1.0"))
        },
        HostileUpload(
            name: "a checksum header that is not the archive's sha256", status: .unprocessableContent, code: "invalid_input",
            publishCode: "checksum_mismatch",
            send: { session in
                let archive = try ArchiveBuilder.package()
                let other = try ArchiveBuilder.package(entrypoint: "print('other')\n")
                return try await session.publish(archive, checksum: PackageDigest(of: other).hex)
            }),
        HostileUpload(
            name: "a signature by another key than the namespace's", status: .unprocessableContent, code: "invalid_input",
            publishCode: "bad_signature",
            setUp: { try await $0.registerSigningKey(namespace: "acme") },
            send: { session in
                let archive = try ArchiveBuilder.package()
                return try await session.publish(archive, signature: try session.otherSigner.sign(archive).base64EncodedString())
            }),
        HostileUpload(
            name: "an unsigned upload to a namespace with signing keys", status: .unprocessableContent, code: "invalid_input",
            publishCode: "bad_signature",
            setUp: { try await $0.registerSigningKey(namespace: "acme") },
            send: { try await $0.publish(try ArchiveBuilder.package()) }),
        HostileUpload(
            name: "a version that exists already, with other contents", status: .conflict, code: "conflict", publishCode: nil,
            setUp: { try await $0.mustPublish(try ArchiveBuilder.package()) },
            send: { try await $0.publish(try ArchiveBuilder.package(entrypoint: "print('changed')\n")) }),
        HostileUpload(
            name: "a package in another tenant's namespace", status: .forbidden, code: "forbidden", publishCode: "namespace_owned",
            setUp: { try await $0.mustPublish(try ArchiveBuilder.package(), key: $0.globex) },
            send: { try await $0.publish(try ArchiveBuilder.package(UploadManifest.text(version: "1.1.0"))) }),
        HostileUpload(
            name: "a new required input property without a major bump", status: .unprocessableContent, code: "invalid_manifest",
            publishCode: "breaking_change",
            setUp: { try await $0.mustPublish(try ArchiveBuilder.package()) },
            send: { session in
                let stricter = UploadManifest.tool(
                    inputSchema: [
                        "type": "object", "properties": ["text": ["type": "string"], "language": ["type": "string"]], "required": ["text", "language"],
                    ])
                return try await session.publish(try ArchiveBuilder.package(UploadManifest.text(version: "1.1.0", tools: [stricter])))
            }),
        HostileUpload(
            name: "a removed output property without a major bump", status: .unprocessableContent, code: "invalid_manifest",
            publishCode: "breaking_change",
            setUp: { try await $0.mustPublish(try ArchiveBuilder.package()) },
            send: { session in
                let fewer = UploadManifest.tool(outputProperties: ["count": ["type": "integer"]])
                return try await session.publish(try ArchiveBuilder.package(UploadManifest.text(version: "1.0.1", tools: [fewer])))
            }),
    ]
}

@Suite("Hostile uploads over HTTP")
struct HostilePublishTests {
    @Test("a hostile or invalid upload is refused with its own code and status, and the catalog and blob store stay as they were",
          arguments: HostileUpload.corpus)
    func refused(_ hostile: HostileUpload) async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        let globex = try await fixture.server.registry.keys.createAPIKey(tenant: "globex", name: "globex", maxPrivilege: .executeSafe, scopes: [.read, .publish])
        try await fixture.withClient { client in
            let session = HostileUpload.Session(
                client: client, admin: fixture.server.adminKey, globex: globex.secret, registeredSigner: .generate(), otherSigner: .generate())
            try await hostile.setUp(session)
            let before = try StoreSnapshot.take(of: fixture.directory)
            let listedBefore = try await Self.catalogAsListed(session)

            let response = try await hostile.send(session)
            #expect(response.status == hostile.status, "\(response.json)")
            // Checked without stopping the test, so that the store is compared whatever the answer was.
            let error = response.json["error"] ?? .null
            #expect(error != .null, "not the error form: \(response.json)")
            #expect(error["code"]?.stringValue == hostile.code, "\(error)")
            #expect(error["message"]?.stringValue?.isEmpty == false)
            if let publishCode = hostile.publishCode {
                #expect(error["details"]?["publishCode"]?.stringValue == publishCode, "\(error)")
            }
            hostile.check(error)

            let after = try StoreSnapshot.take(of: fixture.directory)
            #expect(after == before, "the store changed: before \(before), after \(after)")
            #expect(try await Self.catalogAsListed(session) == listedBefore)
        }
    }

    /// The catalog as a client sees it: every tool with its version, and the target package.
    static func catalogAsListed(_ session: HostileUpload.Session) async throws -> [JSONValue] {
        let headers = ServerFixture.headers(session.admin)
        let tools = try await session.client.execute(uri: "/api/v1/tools?limit=200", method: .get, headers: headers) { $0.json }
        let package = try await session.client.execute(uri: "/api/v1/packages/acme/word-count", method: .get, headers: headers) {
            [JSONValue.int(Int($0.status.code)), $0.json]
        }
        return [tools] + package
    }
}
