import Foundation
import HTTPTypes
import HummingbirdTesting
import Registry
import Server
import Testing
import ToolhostCore

@Suite("A namespace follows one rule wherever a tenant claims it", .serialized)
struct NamespaceRuleAPITests {
    @Test("a signing key for `toolhost` is 403 as publishing into it is; `UPPER` and `a%2Fb` are 422 naming the namespace and the rule")
    func signingKeysFollowThePublishNamespaceRule() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        let acme = try await fixture.key(level: .executeSafe, scopes: [.read, .publish], tenant: "acme").secret
        let body: JSONValue = ["publicKey": .string(PackageSigningKey.generate().publicKey.base64)]
        try await fixture.withClient { client in
            let reserved = try await client.send(.post, "/api/v1/namespaces/toolhost/signing-keys", key: acme, json: body)
            #expect(reserved.status == .forbidden, "\(reserved)")
            #expect(reserved.json["error"]?["message"]?.stringValue?.contains("the namespace \"toolhost\" is reserved") == true, "\(reserved)")
            // A built-in's own manifest passes the manifest schema, which keeps `toolhost/` for built-ins.
            let builtin = try PackageArchiveWriter().pack(directory: ServerFixture.repository.appendingPathComponent("Tools/hash_digest"))
            let publish = try await client.publish(builtin, key: acme)
            #expect(publish.status == .forbidden && publish.json["error"] == reserved.json["error"], "\(publish) vs \(reserved)")

            for namespace in ["UPPER", "a%2Fb", "-dash", String(repeating: "n", count: 40)] {
                let refused = try await client.send(.post, "/api/v1/namespaces/\(namespace)/signing-keys", key: acme, json: body)
                #expect(refused.status == .unprocessableContent, "\(namespace): \(refused)")
                let message = refused.json["error"]?["message"]?.stringValue ?? ""
                #expect(message.contains("the namespace \"") && message.contains("lowercase letters, digits and hyphens"), "\(namespace): \(message)")
                #expect(refused.json["error"]?["details"]?["publishCode"] == "invalid_namespace")
            }
            let accepted = try await client.send(.post, "/api/v1/namespaces/acme-tools/signing-keys", key: acme, json: body)
            #expect(accepted.status == .created, "\(accepted)")
        }
        let claimed = try await fixture.server.registry.audit.events(tenant: "acme", limit: 100).filter { $0.action == "namespace.key.add" }.map(\.target)
        #expect(claimed == ["acme-tools"])
    }
}
