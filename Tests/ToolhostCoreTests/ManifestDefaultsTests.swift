import Foundation
import Testing
import ToolhostCore

/// Issue 10, point 4: a first manifest needs only what a person can say about the tool; what it
/// leaves out is filled in with values that grant nothing, and the resolved values are shown.
@Suite("Manifest defaults that are safe")
struct ManifestDefaultsTests {
    /// Name, version, description, license, authors, runtime, and one tool with its name, title,
    /// description and the two schemas: nothing more.
    static let minimal: JSONValue = [
        "name": "acme/shout", "version": "0.1.0", "description": "Shouts.", "license": "MIT", "authors": ["Ada"],
        "runtime": ["type": "python3", "entrypoint": "main.py"],
        "tools": [[
            "name": "shout", "title": "Shout", "description": "Upper-cases a text.",
            "inputSchema": ["type": "object", "properties": ["text": ["type": "string"]]],
            "outputSchema": ["type": "object", "properties": ["text": ["type": "string"]]],
        ]],
    ]

    static func load(_ document: JSONValue, limits: ToolLimitDefaults? = nil) throws -> LoadedManifest {
        try ManifestLoader.load(data: Data(document.serialized().utf8), source: "toolhost.json", limitDefaults: limits)
    }

    static func editing(_ pointer: String, to value: JSONValue?) throws -> JSONValue {
        try minimal.replacing(at: JSONPointer(parsing: pointer), with: value)
    }

    @Test("a minimal manifest loads: no permissions, MCP's pessimistic hints without an open world, the derived level 2")
    func minimalManifest() throws {
        let loaded = try Self.load(Self.minimal)
        let tool = loaded.manifest.tools[0]
        #expect(tool.privilegeLevel == .executeSafe)
        #expect(tool.permissions == ToolPermissions())
        #expect(tool.annotations == ToolAnnotations(readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false))
        #expect(tool.limits == nil)
        // The document that is stored and served says the same.
        let stored = try #require(loaded.document["tools"]?[0])
        #expect(stored["privilegeLevel"] == 2)
        #expect(stored["permissions"] == [:])
        #expect(stored["annotations"] == ["readOnlyHint": false, "destructiveHint": true, "idempotentHint": false, "openWorldHint": false])
    }

    @Test("a read-only tool is level 1 and not destructive; egress makes it level 3 and open-world")
    func derivedFromDeclarations() throws {
        let readOnly = try Self.load(try Self.editing("/tools/0/annotations", to: ["readOnlyHint": true]))
        #expect(readOnly.manifest.tools[0].privilegeLevel == .readOnly)
        #expect(readOnly.manifest.tools[0].annotations == ToolAnnotations(readOnlyHint: true, destructiveHint: false, idempotentHint: false, openWorldHint: false))
        let networked = try Self.load(try Self.editing("/tools/0/permissions", to: ["network": ["egress": ["api.example.com:443"]]]))
        #expect(networked.manifest.tools[0].privilegeLevel == .executeRisky)
        #expect(networked.manifest.tools[0].annotations.openWorldHint == true)
    }

    @Test("stated values are kept as written, also a level below the derived one (the registry refuses that)")
    func statedValuesKept() throws {
        let stated = try Self.load(try Self.editing("/tools/0/privilegeLevel", to: 1))
        #expect(stated.manifest.tools[0].privilegeLevel == .readOnly)
        let hints = try Self.load(try Self.editing("/tools/0/annotations", to: ["idempotentHint": true, "openWorldHint": true]))
        #expect(hints.manifest.tools[0].annotations == ToolAnnotations(readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true))
    }

    @Test("limits left out take the level's defaults when they are known; stated ones stay")
    func limits() throws {
        let defaults = ToolLimitDefaults(byLevel: [
            .readOnly: ToolLimits(timeoutMs: 1000, memoryBytes: 100, outputBytes: 10),
            .executeSafe: ToolLimits(timeoutMs: 2000, memoryBytes: 200, outputBytes: 20),
        ])
        let filled = try Self.load(Self.minimal, limits: defaults)
        #expect(filled.manifest.tools[0].limits == ToolLimits(timeoutMs: 2000, memoryBytes: 200, outputBytes: 20))
        #expect(filled.document["tools"]?[0]?["limits"] == ["timeoutMs": 2000, "memoryBytes": 200, "outputBytes": 20])
        let partial = try Self.load(try Self.editing("/tools/0/limits", to: ["timeoutMs": 500]), limits: defaults)
        #expect(partial.manifest.tools[0].limits == ToolLimits(timeoutMs: 500, memoryBytes: 200, outputBytes: 20))
    }
}
