import ToolhostCore

/// A tool declaration as JSON, for manifests built in the publishing tests (see ``SampleManifest``).
struct ToolJSON {
    var name = "count"
    var privilegeLevel = 1
    var readOnlyHint: Bool? = true
    var destructiveHint: Bool? = false
    var egress: [String] = []
    var write = false
    var subprocess = false
    var secrets: [String] = []
    var inputSchema: JSONValue = ["type": "object", "properties": ["text": ["type": "string"]], "required": ["text"]]
    var outputSchema: JSONValue = ["type": "object", "properties": ["words": ["type": "integer"]]]

    var json: JSONValue {
        var annotations: [String: JSONValue] = ["idempotentHint": true, "openWorldHint": false]
        if let readOnlyHint { annotations["readOnlyHint"] = .bool(readOnlyHint) }
        if let destructiveHint { annotations["destructiveHint"] = .bool(destructiveHint) }
        return [
            "name": .string(name), "title": "A tool", "description": "Does one thing.",
            "inputSchema": inputSchema, "outputSchema": outputSchema, "annotations": .object(annotations),
            "privilegeLevel": .int(privilegeLevel),
            "permissions": [
                "network": ["egress": .array(egress.map(JSONValue.string))], "filesystem": ["write": .bool(write)],
                "subprocess": .bool(subprocess), "secrets": .array(secrets.map(JSONValue.string)),
            ],
            "limits": ["timeoutMs": 5000],
        ]
    }

    /// A copy with `change` applied.
    func with(_ change: (inout ToolJSON) -> Void) -> ToolJSON {
        var copy = self
        change(&copy)
        return copy
    }

    /// A community package (`acme/…`, python3) with `tools`, loaded and checked like an upload.
    static func package(version: String = "1.0.0", _ tools: [ToolJSON]) throws -> PackageManifest {
        try SampleManifest.make(name: "acme/tools", version: version, tools: tools.map(\.json)).manifest
    }
}
