import Foundation
import HTTPTypes
import HummingbirdTesting
import Registry
import Server
import Testing
import ToolhostCore

@Suite("A package's visibility is fixed by its first publish", .serialized)
struct VisibilityAPITests {
    @Test("a later version of a public package asked to be private is refused with 409 visibility_mismatch, and the package stays public")
    func publicStaysPublic() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        let acme = try await fixture.key(level: .executeSafe, scopes: [.read, .publish], tenant: "acme").secret
        let globex = try await fixture.key(level: .executeSafe, scopes: [.read], tenant: "globex").secret
        try await fixture.withClient { client in
            let first = try await client.publish(try TestPackages.archive(), key: acme)
            #expect(first.status == .created && first.json["visibility"] == "public", "\(first)")

            let refused = try await client.publish(try TestPackages.archive(version: "1.1.0"), key: acme, visibility: "private")
            #expect(refused.status == .conflict, "\(refused)")
            #expect(refused.json["error"]?["code"] == "conflict")
            #expect(refused.json["error"]?["details"]?["publishCode"] == "visibility_mismatch")
            #expect(refused.json["error"]?["details"]?["visibility"] == "public")
            let message = refused.json["error"]?["message"]?.stringValue ?? ""
            #expect(message.contains("acme/echo is public") && message.contains("fixed by its first publish") && message.contains("--private"),
                    "\(message)")
            let versions = try await client.send(.get, "/api/v1/packages/acme/echo", key: acme)
            #expect(versions.json["versions"]?.arrayValue?.count == 1, "the refused version was stored: \(versions)")

            let kept = try await client.publish(try TestPackages.archive(version: "1.1.0"), key: acme)
            #expect(kept.status == .created && kept.json["visibility"] == "public", "\(kept)")
            let asked = try await client.publish(try TestPackages.archive(version: "1.2.0"), key: acme, visibility: "public")
            #expect(asked.status == .created && asked.json["visibility"] == "public", "\(asked)")
            #expect(try await client.send(.get, "/api/v1/tools/acme/echo/echo", key: globex).json["version"] == "1.2.0")
        }
    }

    @Test("a later version of a private package asked to be public is refused; without a visibility it is private and says so")
    func privateStaysPrivate() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        let acme = try await fixture.key(level: .executeSafe, scopes: [.read, .publish], tenant: "acme").secret
        let globex = try await fixture.key(level: .executeSafe, scopes: [.read], tenant: "globex").secret
        try await fixture.withClient { client in
            let first = try await client.publish(try TestPackages.archive(), key: acme, visibility: "private")
            #expect(first.status == .created && first.json["visibility"] == "private", "\(first)")

            let refused = try await client.publish(try TestPackages.archive(version: "1.1.0"), key: acme, visibility: "public")
            #expect(refused.status == .conflict && refused.json["error"]?["details"]?["publishCode"] == "visibility_mismatch", "\(refused)")
            #expect(refused.json["error"]?["message"]?.stringValue?.contains("acme/echo is private") == true, "\(refused)")

            let next = try await client.publish(try TestPackages.archive(version: "1.1.0"), key: acme)
            #expect(next.status == .created && next.json["visibility"] == "private", "\(next)")
            #expect(try await client.send(.get, "/api/v1/packages/acme/echo", key: globex).status == .notFound)
            #expect(try await client.send(.get, "/api/v1/tools/acme/echo/echo", key: globex).status == .notFound)
            #expect(try await client.send(.get, "/api/v1/packages/acme/echo", key: acme).json["visibility"] == "private")
        }
    }
}
