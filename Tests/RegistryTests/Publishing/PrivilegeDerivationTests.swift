import Foundation
import Registry
import Testing
import ToolhostCore

@Suite("Privilege derivation")
struct PrivilegeDerivationTests {
    private func derive(_ tool: ToolJSON) throws -> DerivedPrivilege {
        PrivilegeDerivation.derive(for: try JSONDecoder().decode(ToolDefinition.self, from: Data(tool.json.serialized().utf8)))
    }

    @Test("a tool that only reads needs READ_ONLY and has no reasons")
    func readOnly() throws {
        let derived = try derive(ToolJSON())
        #expect(derived.level == .readOnly)
        #expect(derived.reasons.isEmpty)
    }

    @Test("network egress needs EXECUTE_RISKY, even for a tool that says it only reads")
    func egress() throws {
        let derived = try derive(ToolJSON(egress: ["api.example.com", "*.cdn.example.com:443"]))
        #expect(derived.level == .executeRisky)
        #expect(derived.reasons.map(\.text) == ["declares network egress to api.example.com, *.cdn.example.com:443"])
    }

    @Test("secrets need EXECUTE_RISKY")
    func secrets() throws {
        let derived = try derive(ToolJSON(secrets: ["API_TOKEN"]))
        #expect(derived.level == .executeRisky)
        #expect(derived.reasons.first?.text == "reads the secret API_TOKEN")
    }

    @Test(
        "writing files, starting processes, not being read-only or being destructive needs EXECUTE_SAFE",
        arguments: [
            ToolJSON(readOnlyHint: false, write: true),
            ToolJSON(subprocess: true),
            ToolJSON(readOnlyHint: false),
            ToolJSON(readOnlyHint: nil, destructiveHint: nil),
            ToolJSON(destructiveHint: true),
        ].map(\.json))
    func executeSafe(_ tool: JSONValue) throws {
        let definition = try JSONDecoder().decode(ToolDefinition.self, from: Data(tool.serialized().utf8))
        let derived = PrivilegeDerivation.derive(for: definition)
        #expect(derived.level == .executeSafe)
        #expect(!derived.reasons.isEmpty)
    }

    @Test("reasons come with the level each one needs, and the highest decides")
    func reasonsAndLevels() throws {
        let derived = try derive(ToolJSON(readOnlyHint: false, egress: ["*"], subprocess: true))
        #expect(derived.level == .executeRisky)
        #expect(derived.reasons.map(\.level) == [.executeRisky, .executeSafe, .executeSafe])
    }

    @Test("a community tool that understates its level is refused, naming the tool, both levels and the reasons")
    func understated() throws {
        let manifest = try ToolJSON.package([ToolJSON(name: "fetch", egress: ["api.example.com"])])
        let error = PublishingFixture.refusal { try PrivilegeDerivation.check(manifest) }
        #expect(error?.code == .understatedPrivilege)
        let message = error?.message ?? ""
        for part in ["acme/tools@1.0.0", "\"fetch\"", "1 READ_ONLY", "3 EXECUTE_RISKY", "api.example.com"] {
            #expect(message.contains(part), "\(message)")
        }
        #expect(error?.details?["tools"]?[0]?["derived"] == 3)
        #expect(error?.httpStatus == 422)
    }

    @Test("every understating tool is listed, and only the reasons above its stated level")
    func everyToolListed() throws {
        let manifest = try ToolJSON.package([
            ToolJSON(name: "fetch", egress: ["api.example.com"]),
            ToolJSON(name: "fine"),
            ToolJSON(name: "post", privilegeLevel: 2, readOnlyHint: false, destructiveHint: true, secrets: ["TOKEN"]),
        ])
        let error = PublishingFixture.refusal { try PrivilegeDerivation.check(manifest) }
        let message = error?.message ?? ""
        #expect(message.contains("2 tools understate"))
        #expect(message.contains("\"fetch\"") && message.contains("\"post\"") && !message.contains("\"fine\""))
        #expect(!message.contains("destructive"), "a reason for level 2 does not explain why level 2 is too low: \(message)")
    }

    @Test("tools at or above their derived level pass")
    func honest() throws {
        let manifest = try ToolJSON.package([
            ToolJSON(name: "fetch", privilegeLevel: 3, egress: ["api.example.com"]),
            ToolJSON(name: "write", privilegeLevel: 2, readOnlyHint: false, write: true),
            ToolJSON(name: "admin", privilegeLevel: 4, readOnlyHint: false),
            ToolJSON(name: "read"),
        ])
        try PrivilegeDerivation.check(manifest)
    }

    @Test("the built-ins are exempt, though web_fetch declares egress at level 1")
    func builtinsAreExempt() throws {
        let builtins = try CatalogFixture.builtinManifests()
        #expect(builtins.count == 24)
        for builtin in builtins {
            #expect(PrivilegeDerivation.isExempt(builtin.manifest, origin: .bundled))
            try PrivilegeDerivation.check(builtin.manifest, origin: .bundled)
        }
        let webFetch = try #require(builtins.first { $0.manifest.name == "toolhost/web_fetch" })
        #expect(PrivilegeDerivation.derive(for: webFetch.manifest.tools[0]).level == .executeRisky)
    }

    @Test("a community package that copies web_fetch's declaration is not exempt")
    func copiedBuiltinIsNotExempt() throws {
        let builtins = try CatalogFixture.builtinManifests()
        let webFetch = try #require(builtins.first { $0.manifest.name == "toolhost/web_fetch" })
        let tool = try #require(webFetch.document["tools"]?[0])
        let copy = try SampleManifest.make(name: "acme/web_fetch", tools: [tool]).manifest
        #expect(!PrivilegeDerivation.isExempt(copy, origin: .published))
        #expect(PublishingFixture.refusal { try PrivilegeDerivation.check(copy) }?.code == .understatedPrivilege)
    }

    @Test("an upload that calls itself a toolhost built-in is checked like any other")
    func uploadedBuiltinIsNotExempt() throws {
        let webFetch = try #require(try CatalogFixture.builtinManifests().first { $0.manifest.name == "toolhost/web_fetch" })
        #expect(webFetch.manifest.isBuiltin)
        #expect(!PrivilegeDerivation.isExempt(webFetch.manifest, origin: .published))
        let error = PublishingFixture.refusal { try PrivilegeDerivation.check(webFetch.manifest) }
        #expect(error?.code == .understatedPrivilege)
        #expect(error?.message.contains("\"web_fetch\"") == true)
    }
}
