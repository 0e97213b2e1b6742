import TestSupport
import Foundation
import ToolhostCore

/// Manifests for the publishing tests: a good `acme/word-count` package unless told otherwise.
enum UploadManifest {
    static func tool(
        name: String = "count", level: Int = 1, egress: [String] = [], required: [String] = ["text"],
        inputSchema: JSONValue? = nil, outputProperties: JSONValue = ["words": ["type": "integer"]]
    ) -> JSONValue {
        let defaultInput: JSONValue = ["type": "object", "properties": ["text": ["type": "string"]], "required": .array(required.map(JSONValue.string))]
        return [
            "name": .string(name), "title": "Count words", "description": "Counts the words of a text.",
            "inputSchema": inputSchema ?? defaultInput,
            "outputSchema": ["type": "object", "properties": outputProperties],
            "annotations": ["readOnlyHint": true, "destructiveHint": false, "idempotentHint": true, "openWorldHint": false],
            "privilegeLevel": .int(level),
            "permissions": ["network": ["egress": .array(egress.map(JSONValue.string))], "filesystem": ["write": false], "subprocess": false],
            "limits": ["timeoutMs": 5000],
        ]
    }

    static func json(name: String = "acme/word-count", version: String = "1.0.0", tools: [JSONValue] = [tool()]) -> JSONValue {
        [
            "name": .string(name), "version": .string(version), "description": "Counts words.", "license": "MIT", "authors": ["Ada"],
            "runtime": ["type": "python3", "entrypoint": "main.py"], "tools": .array(tools),
        ]
    }

    static func text(name: String = "acme/word-count", version: String = "1.0.0", tools: [JSONValue] = [tool()]) -> String {
        json(name: name, version: version, tools: tools).serialized(pretty: true)
    }
}

extension ArchiveBuilder {
    /// A tar.gz package with `manifest` and an entrypoint, then `extra`.
    static func package(
        _ manifest: String = UploadManifest.text(), entrypoint: String = "print('hi')\n", _ extra: (ArchiveBuilder) throws -> Void = { _ in }
    ) throws -> Data {
        let builder = try ArchiveBuilder(.tarGzip)
        try builder.file("toolhost.json", manifest)
        try builder.file("main.py", entrypoint, mode: 0o755)
        try extra(builder)
        return try builder.finish()
    }
}
