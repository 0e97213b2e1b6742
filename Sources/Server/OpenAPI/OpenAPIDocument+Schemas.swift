import Registry
import ToolhostCore

extension OpenAPIDocument {
    /// `components/schemas`: the bodies the API sends and receives, in JSON Schema 2020-12.
    ///
    /// Objects the server writes are closed (`additionalProperties: false`) and list what is always
    /// present as `required`, so that the response tests notice a field the document does not know.
    static let schemas: [String: JSONValue] = [
        "Status": object(["status": ["type": "string", "enum": ["ok", "ready"]]]),
        "PrivilegeLevel": [
            "type": "integer", "minimum": 1, "maximum": 5,
            "description": "1 READ_ONLY, 2 EXECUTE_SAFE, 3 EXECUTE_RISKY, 4 ADMIN, 5 SUPER_ADMIN.",
        ],
        "SemanticVersion": [
            "type": "string", "description": "A SemVer 2.0.0 version, without a leading `v`.", "examples": ["1.4.0", "2.0.0-rc.1"],
            // The regular expression recommended by semver.org.
            "pattern": #"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"#,
        ],
        "Sha256": ["type": "string", "pattern": "^[0-9a-f]{64}$", "description": "A sha256 digest in lowercase hex."],
        "Visibility": ["type": "string", "enum": .array(Visibility.allCases.map { .string($0.rawValue) })],
        "Scope": ["type": "string", "enum": .array(Scope.allCases.map { .string($0.rawValue) })],
        "ToolAnnotations": [
            "type": "object", "additionalProperties": false, "description": "MCP's tool annotations (hints, not guarantees).",
            "properties": [
                "title": ["type": "string"], "readOnlyHint": ["type": "boolean"], "destructiveHint": ["type": "boolean"],
                "idempotentHint": ["type": "boolean"], "openWorldHint": ["type": "boolean"],
            ],
        ],
        "ToolSummary": object(
            [
                "name": ["type": "string", "description": "What a caller uses: `hash_digest` for a built-in, `acme/word-count/count` otherwise."],
                "package": ["type": "string"], "version": ref("SemanticVersion"), "title": ["type": "string"],
                "description": ["type": "string"], "privilegeLevel": ref("PrivilegeLevel"), "annotations": ref("ToolAnnotations"),
                "isBuiltin": ["type": "boolean"],
                "deprecated": ["type": "boolean", "description": "Whether the package version is deprecated."],
            ]),
        "ToolPage": object(
            [
                "tools": ["type": "array", "items": ref("ToolSummary")],
                "nextCursor": ["type": "string", "description": "Pass as `cursor` for the next page; absent on the last page."],
            ], optional: ["nextCursor"]),
        "PackageVersionInfo": object(
            [
                "version": ref("SemanticVersion"), "yanked": ["type": "boolean"],
                "deprecationMessage": ["type": "string", "description": "Present when the version is deprecated."],
            ], optional: ["deprecationMessage"]),
        "Runtime": [
            "type": "object", "required": ["type"],
            "properties": [
                "type": ["type": "string", "enum": ["python3", "sh", "node", "exec", "builtin"]],
                "entrypoint": ["type": "string", "description": "The file the runtime starts, relative to the package root."],
            ],
        ],
        "ToolDefinition": [
            "type": "object", "required": ["name", "title", "description", "inputSchema", "outputSchema", "annotations", "privilegeLevel"],
            "description": "A tool as its package's `toolhost.json` declares it (see Registry/schema/toolhost.schema.json); MCP-compatible.",
            "properties": [
                "name": ["type": "string"], "title": ["type": "string"], "description": ["type": "string"],
                "inputSchema": jsonSchema("The JSON Schema (2020-12) of the tool's input."),
                "outputSchema": jsonSchema("The JSON Schema (2020-12) of the tool's output."),
                "annotations": ref("ToolAnnotations"), "privilegeLevel": ref("PrivilegeLevel"),
                "permissions": ["type": "object", "description": "`network.egress[]`, `filesystem.write`, `subprocess`, `secrets[]`."],
                "limits": ["type": "object", "description": "`timeoutMs`, `memoryBytes`, `outputBytes`."],
                "keywords": ["type": "array", "items": ["type": "string"]],
                "examples": ["type": "array", "items": ["type": "object"]],
            ],
        ],
        "ToolDetail": object(
            [
                "name": ["type": "string"], "package": ["type": "string"], "version": ref("SemanticVersion"),
                "versions": ["type": "array", "items": ref("PackageVersionInfo"), "description": "Every version of the package, newest first."],
                "runtime": ref("Runtime"), "license": ["type": "string", "description": "An SPDX expression."],
                "definition": ref("ToolDefinition"),
            ]),
        "PackageSummary": object(
            [
                "name": ["type": "string"], "visibility": ref("Visibility"),
                "latest": ["$ref": "#/components/schemas/SemanticVersion", "description": "Absent when every version is yanked."],
                "versions": ["type": "array", "items": ref("PackageVersionInfo"), "description": "Newest first."],
            ], optional: ["latest"]),
        "PackageVersionDetail": object(
            [
                "name": ["type": "string"], "version": ref("SemanticVersion"),
                "manifest": ["type": "object", "description": "The version's `toolhost.json`, as published."],
                "sha256": ["$ref": "#/components/schemas/Sha256", "description": "The archive's digest; absent for built-ins."],
                "size": ["type": "integer", "minimum": 0, "description": "The archive's size in bytes; absent for built-ins."],
                "signature": ["type": "string", "description": "The base64 Ed25519 signature the upload carried."],
                "signingKey": ["type": "string", "description": "The fingerprint of the namespace key that verified it."],
                "publisher": ["type": "string", "description": "The id of the API key that published it."],
                "visibility": ref("Visibility"), "yanked": ["type": "boolean"], "yankReason": ["type": "string"],
                "deprecated": ["type": "string", "description": "The deprecation message; absent when not deprecated."],
                "publishedAt": ["type": "string", "format": "date-time"],
            ], optional: ["sha256", "size", "signature", "signingKey", "publisher", "yankReason", "deprecated"]),
        "PublishedVersion": object(
            [
                "name": ["type": "string"], "version": ref("SemanticVersion"), "sha256": ref("Sha256"),
                "size": ["type": "integer", "minimum": 0], "signed": ["type": "boolean"], "visibility": ref("Visibility"),
                "tools": ["type": "array", "items": ["type": "string"], "description": "The names of the version's tools."],
            ]),
        "YankRequest": object(["reason": ["type": "string", "description": "Why, shown to those who pinned the version."]], optional: ["reason"]),
        "DeprecateRequest": object(["message": ["type": "string"]], optional: ["message"]),
        "SigningKeyRequest": object([
            "publicKey": ["type": "string", "description": "A raw 32-byte Ed25519 public key in base64 (`toolhost keys signing-key` prints it)."]
        ]),
        "SigningKeyRegistered": object(["namespace": ["type": "string"], "fingerprint": ["type": "string"]]),
        "APIKeyRequest": object(
            [
                "tenant": ["type": "string", "description": "Default: the caller's tenant.", "pattern": "^[a-z0-9][a-z0-9-]{0,62}$"],
                "name": ["type": "string", "description": "A label for people."],
                "maxPrivilege": ref("PrivilegeLevel"),
                "scopes": ["type": "array", "items": ref("Scope"), "minItems": 1],
            ], optional: ["tenant", "name"]),
        "CreatedAPIKey": object(
            [
                "id": ["type": "string"], "tenant": ["type": "string"], "maxPrivilege": ref("PrivilegeLevel"),
                "scopes": ["type": "array", "items": ref("Scope")],
                "secret": ["type": "string", "description": "The bearer secret, shown this once and stored only as a hash."],
            ]),
        "Error": object(
            [
                "error": object(
                    [
                        "code": ["type": "string", "examples": ["unauthorized", "not_found", "invalid_manifest"]],
                        "message": ["type": "string", "description": "What was wrong, naming the field, entry, tool or limit."],
                        "details": [
                            "type": "object", "description": "Structured data for scripts: for a refused publish, `publishCode` and `httpStatus`.",
                        ],
                    ], optional: ["details"]),
            ]),
    ]

    static func ref(_ name: String) -> JSONValue { OpenAPI.ref(name) }

    /// A closed object whose properties are all required except `optional`.
    static func object(_ properties: [String: JSONValue], optional: Set<String> = []) -> JSONValue {
        [
            "type": "object", "additionalProperties": false, "properties": .object(properties),
            "required": .array(properties.keys.filter { !optional.contains($0) }.sorted().map(JSONValue.string)),
        ]
    }

    /// A property that holds a JSON Schema.
    static func jsonSchema(_ description: String) -> JSONValue {
        ["type": ["object", "boolean"], "description": .string(description)]
    }
}
