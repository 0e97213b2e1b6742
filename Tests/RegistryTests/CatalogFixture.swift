import BuiltinTools
import Foundation
import Registry
import Storage
import ToolhostCore

/// The registry's real SQLite stores in a fresh temporary directory, removed when the fixture is released.
final class CatalogFixture {
    let directory: URL
    let registry: RegistryStores

    var catalog: any CatalogStore { registry.catalog }
    var publishing: any PublishingStore { registry.publishing }
    var keys: any KeyStore { registry.keys }
    var audit: any AuditLog { registry.audit }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("toolhost-catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        registry = try Self.open(directory)
    }

    var databasePath: String { directory.appendingPathComponent("toolhost.sqlite").path }

    /// The stores of `directory` on a new database connection: another process, or a restart.
    static func open(_ directory: URL) throws -> RegistryStores {
        try RegistryStores.sqlite(try SQLiteDatabase(path: directory.appendingPathComponent("toolhost.sqlite").path),
                                  blobs: BlobStore(root: directory.appendingPathComponent("blobs")))
    }

    /// The catalog as `toolhost` sees it on first start: with every built-in from `Tools/`.
    static func withBuiltins() async throws -> CatalogFixture {
        let fixture = try CatalogFixture()
        try await fixture.catalog.syncBuiltins(try builtinManifests())
        return fixture
    }

    static func builtinManifests() throws -> [LoadedManifest] {
        let tools = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Tools")
        return try BuiltinManifests.load(from: tools)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }
}

/// Builds small manifests in code for the tests that need packages of their own.
enum SampleManifest {
    static func make(
        name: String = "acme/word-count", version: String = "1.0.0", runtime: String = "python3",
        tools: [JSONValue] = [tool()]
    ) throws -> LoadedManifest {
        var document: JSONValue = [
            "name": .string(name), "version": .string(version), "description": "Counts words.",
            "license": "MIT", "authors": ["Ada"], "runtime": ["type": .string(runtime)], "tools": .array(tools),
        ]
        if runtime != "builtin", case .object(var object) = document {
            object["runtime"] = ["type": .string(runtime), "entrypoint": "main.py"]
            document = .object(object)
        }
        return try ManifestLoader.load(data: Data(document.serialized().utf8), source: "\(name)@\(version)")
    }

    static func tool(name: String = "count", description: String = "Counts the words of a text.",
                     inputProperties: JSONValue = ["text": ["type": "string"]]) -> JSONValue {
        [
            "name": .string(name), "title": "Count words", "description": .string(description),
            "inputSchema": ["type": "object", "properties": inputProperties],
            "outputSchema": ["type": "object", "properties": ["words": ["type": "integer"]]],
            "annotations": ["readOnlyHint": true, "destructiveHint": false, "idempotentHint": true, "openWorldHint": false],
            "privilegeLevel": 1,
            "permissions": ["subprocess": false, "filesystem": ["write": false]],
            "limits": ["timeoutMs": 5000],
            "examples": [["name": "two-words", "input": ["text": "a b"], "output": ["words": 2]]],
        ]
    }
}
