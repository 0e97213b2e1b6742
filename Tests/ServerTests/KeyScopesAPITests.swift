import Foundation
import HTTPTypes
import HummingbirdTesting
import Registry
import Server
import Testing
import ToolhostCore

@Suite("A new key gets nothing its creator lacks", .serialized)
struct KeyScopesAPITests {
    @Test("a key with scopes admin and read cannot create one with approve, invoke or publish: 403 naming them; a SUPER_ADMIN key can")
    func newKeysGetOnlyTheirCreatorsScopes() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        let admin = try await fixture.key(level: .admin, scopes: [.admin, .read], tenant: "acme").secret
        try await fixture.withClient { client in
            let escalation = try await client.send(.post, "/api/v1/keys", key: admin,
                                                   json: ["maxPrivilege": 2, "scopes": ["read", "approve", "invoke", "publish"]])
            #expect(escalation.status == .forbidden, "\(escalation)")
            let message = escalation.json["error"]?["message"]?.stringValue ?? ""
            #expect(message.contains("scopes approve, invoke, publish are not this key's own (admin, read)"), "\(message)")
            #expect(escalation.json["error"]?["details"]?["scopes"] == ["approve", "invoke", "publish"])

            let subset = try await client.send(.post, "/api/v1/keys", key: admin, json: ["maxPrivilege": 2, "scopes": ["read"]])
            #expect(subset.status == .created && subset.json["scopes"] == ["read"], "\(subset)")
            let higher = try await client.send(.post, "/api/v1/keys", key: admin, json: ["maxPrivilege": 5, "scopes": ["read"]])
            #expect(higher.status == .forbidden, "\(higher)")

            let superAdmin = try await client.send(.post, "/api/v1/keys", key: fixture.server.adminKey,
                                                   json: ["tenant": "acme", "maxPrivilege": 2, "scopes": ["read", "publish", "invoke"]])
            #expect(superAdmin.status == .created, "\(superAdmin)")
        }
        #expect(try await fixture.server.registry.audit.events(tenant: "acme", limit: 100).filter { $0.action == "key.create" }.count == 3,
                "the escalation stored a key (the fixture's key, the subset and the SUPER_ADMIN's are expected)")
    }
}
