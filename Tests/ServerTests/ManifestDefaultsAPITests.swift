import Foundation
import HTTPTypes
import HummingbirdTesting
import Registry
import Sandbox
import Server
import Testing
import ToolhostCore

/// Issue 10, point 4, through the server: a minimal manifest publishes, and what it left out is
/// stored and served resolved, limits from the server's sandbox policy.
@Suite("Publishing a minimal manifest")
struct ManifestDefaultsAPITests {
    static func minimalArchive(privilegeLevel: Int? = nil) throws -> Data {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("toolhost-minimal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var tool: [String: JSONValue] = [
            "name": "shout", "title": "Shout", "description": "Upper-cases a text.",
            "inputSchema": ["type": "object", "properties": ["text": ["type": "string"]], "required": ["text"]],
            "outputSchema": ["type": "object", "properties": ["text": ["type": "string"]], "required": ["text"]],
        ]
        if let privilegeLevel { tool["privilegeLevel"] = .int(privilegeLevel) }
        let manifest: JSONValue = [
            "name": "acme/shout", "version": "0.1.0", "description": "Shouts.", "license": "MIT", "authors": ["Ada"],
            "runtime": ["type": "python3", "entrypoint": "main.py"], "tools": [.object(tool)],
        ]
        try Data(manifest.serialized(pretty: true).utf8).write(to: directory.appendingPathComponent("toolhost.json"))
        try Data("import json,sys\nrequest=json.load(sys.stdin)\nprint(json.dumps({'output': {'text': request['input']['text'].upper()}}))\n".utf8)
            .write(to: directory.appendingPathComponent("main.py"))
        return try PackageArchiveWriter().pack(directory: directory)
    }

    @Test("the manifest publishes as level 2 with no permissions and the level's limits, which the tool detail shows, and it runs")
    func minimalPublishes() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        let key = fixture.server.adminKey
        let policy = try SandboxPolicy.load()
        let levelTwo = policy.defaults.clamped(to: policy.maximum(for: .executeSafe))
        try await fixture.withClient { client in
            let published = try await client.publish(try Self.minimalArchive(), key: key)
            #expect(published.status == .created, "\(published)")
            let detail = try await client.send(.get, "/api/v1/tools/acme/shout/shout", key: key)
            let definition = try #require(detail.json["definition"], "\(detail)")
            #expect(definition["privilegeLevel"] == 2)
            #expect(definition["permissions"] == [:])
            #expect(definition["annotations"] == ["readOnlyHint": false, "destructiveHint": true, "idempotentHint": false, "openWorldHint": false])
            #expect(definition["limits"] == [
                "timeoutMs": .int(levelTwo.wallTimeMs), "memoryBytes": .int(levelTwo.memoryBytes), "outputBytes": .int(levelTwo.outputBytes),
            ])
            let call = try await client.send(.post, "/api/v1/tools/acme/shout/shout/invoke", key: key, json: ["input": ["text": "hey"]])
            #expect(call.json["output"] == ["text": "HEY"], "\(call)")
        }
    }

    @Test("a minimal manifest that states level 1 is still refused: its tool is not marked read-only")
    func understatedRefused() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        try await fixture.withClient { client in
            let refused = try await client.publish(try Self.minimalArchive(privilegeLevel: 1), key: fixture.server.adminKey)
            #expect(refused.status == .unprocessableContent, "\(refused)")
            #expect(refused.json["error"]?["details"]?["publishCode"] == "understated_privilege", "\(refused)")
            #expect(refused.json["error"]?["message"]?.stringValue?.contains("annotations.readOnlyHint is false") == true, "\(refused)")
            let detail = try await client.send(.get, "/api/v1/tools/acme/shout/shout", key: fixture.server.adminKey)
            #expect(detail.status == .notFound)
        }
    }
}
