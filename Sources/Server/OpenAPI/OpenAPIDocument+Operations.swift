import Registry
import ToolhostCore

extension OpenAPIDocument {
    /// Every route of ``ToolhostServer``, described. `OpenAPIDocumentTests` fails when a route is
    /// registered without an entry here, or described without being registered.
    static let operations: [OpenAPIOperation] = service + tools + packages + namespacesAndKeys + hostOperations

    private static let service: [OpenAPIOperation] = [
        OpenAPIOperation(
            method: "get", path: "/healthz", id: "health", tag: "service", summary: "Liveness: the process answers.",
            responses: ["200": OpenAPI.json("The server is up.", "Status")], isPublic: true),
        OpenAPIOperation(
            method: "get", path: "/readyz", id: "readiness", tag: "service", summary: "Readiness: the catalog database answers.",
            responses: ["200": OpenAPI.json("The server can serve requests.", "Status"), "500": OpenAPI.error("InternalError")],
            isPublic: true),
        OpenAPIOperation(
            method: "get", path: "/openapi.json", id: "openapi", tag: "service", summary: "This document (OpenAPI 3.1).",
            responses: ["200": ["description": "The OpenAPI document.", "content": ["application/json": ["schema": ["type": "object"]]]]],
            isPublic: true),
    ]

    private static let toolVersion = OpenAPI.query(
        "version", "An exact version of the package (a yanked version still resolves when pinned); default: the latest.",
        schema: OpenAPI.ref("SemanticVersion"))

    private static let tools: [OpenAPIOperation] = [
        OpenAPIOperation(
            method: "get", path: "/api/v1/tools", id: "searchTools", tag: "tools",
            summary: "Search and list tools: the latest version of every package the caller's tenant may see.",
            description: "Free text matches names, titles, descriptions and keywords (prefixes and stems count); exact names rank first. "
                + "Every filter must hold. Needs the `read` scope.",
            parameters: [
                OpenAPI.query("q", "Words to search for; empty lists every tool by name."),
                OpenAPI.query("maxPrivilege", "Only tools at or below this privilege level: 1-5 or a level name (`READ_ONLY` … `SUPER_ADMIN`).",
                              schema: ["type": "string", "examples": ["2", "EXECUTE_SAFE"]]),
                OpenAPI.query("readOnly", "MCP annotation filter.", schema: ["type": "boolean"]),
                OpenAPI.query("destructive", "MCP annotation filter.", schema: ["type": "boolean"]),
                OpenAPI.query("idempotent", "MCP annotation filter.", schema: ["type": "boolean"]),
                OpenAPI.query("openWorld", "MCP annotation filter.", schema: ["type": "boolean"]),
                OpenAPI.repeatedQuery(
                    "takes", "The input schema has this property: `path` or `path:type` (`options.timeout:integer`, `urls[]:string`)."),
                OpenAPI.repeatedQuery("returns", "The output schema has this property: `path` or `path:type`."),
                OpenAPI.query("limit", "Page size.", schema: ["type": "integer", "minimum": 1, "maximum": 200, "default": 50]),
                OpenAPI.query("cursor", "The `nextCursor` of the previous page."),
            ],
            responses: OpenAPI.authenticated(["200": OpenAPI.json("One page of tools, best match first.", "ToolPage")],
                                             errors: ["403": "Forbidden", "422": "InvalidInput"])),
        OpenAPIOperation(
            method: "get", path: "/api/v1/tools/{name}", id: "showBuiltinTool", tag: "tools",
            summary: "Show a built-in tool (`hash_digest`) with its whole definition and every version of its package.",
            parameters: [OpenAPI.path("name", "The built-in tool's name."), toolVersion],
            responses: OpenAPI.authenticated(["200": OpenAPI.json("The tool.", "ToolDetail")],
                                             errors: ["403": "Forbidden", "404": "NotFound", "422": "InvalidInput"])),
        OpenAPIOperation(
            method: "get", path: "/api/v1/tools/{name}/{package}/{tool}", id: "showPackagedTool", tag: "tools",
            summary: "Show a community tool (`acme/word-count/count`) with its whole definition and every version of its package.",
            description: "Another tenant's private package is 404, never 403, so that its existence does not leak.",
            parameters: [
                OpenAPI.path("name", "The package's namespace (`acme`)."), OpenAPI.path("package", "The package (`word-count`)."),
                OpenAPI.path("tool", "The tool (`count`)."), toolVersion,
            ],
            responses: OpenAPI.authenticated(["200": OpenAPI.json("The tool.", "ToolDetail")],
                                             errors: ["403": "Forbidden", "404": "NotFound", "422": "InvalidInput"])),
    ]

    private static let packageParameters = [
        OpenAPI.path("namespace", "The package's namespace (`acme`)."), OpenAPI.path("package", "The package's name within it (`word-count`)."),
    ]
    private static let versionParameters = packageParameters + [OpenAPI.path("version", "An exact version.", schema: OpenAPI.ref("SemanticVersion"))]

    private static let packages: [OpenAPIOperation] = [
        OpenAPIOperation(
            method: "post", path: "/api/v1/packages", id: "publishPackage", tag: "packages",
            summary: "Publish a package version: the body is the archive, with `toolhost.json` at its root.",
            description: """
                The pipeline: size cap → sha256 (must equal `X-Toolhost-Checksum` when sent) → safe unpack (no `..`, absolute \
                paths, links, devices or setuid bits; entry-count and expansion-ratio caps) → manifest and JSON Schema 2020-12 \
                validation → privilege derivation (understated levels are refused) → namespace ownership → Ed25519 signature \
                (required once the namespace has signing keys) → 409 on an existing version → breaking-change check → stored by \
                hash, with an audit event. A refusal leaves nothing behind; `error.details.publishCode` names the step. \
                Needs the `publish` scope.
                """,
            parameters: [
                OpenAPI.header("X-Toolhost-Checksum",
                               "The archive's sha256 as the client computed it (64 hex digits, optionally `sha256:`-prefixed).",
                               schema: ["type": "string", "pattern": "^(sha256:)?[0-9a-f]{64}$"]),
                OpenAPI.header("X-Toolhost-Signature", "Base64 Ed25519 signature of the archive bytes, by a key registered for the namespace.",
                               schema: ["type": "string", "contentEncoding": "base64"]),
                OpenAPI.query("visibility", "Who may see a new package: every tenant (the default), or only the caller's. Fixed by the "
                                  + "first publish: without it a later version keeps the stored one; another value is 409 `visibility_mismatch`.",
                              schema: OpenAPI.ref("Visibility")),
            ],
            requestBody: [
                "required": true,
                "description": "The package archive, at most 10 MiB.",
                "content": [
                    // Binary bodies have no schema in OpenAPI 3.1: an empty media type object.
                    "application/gzip": [:],
                    "application/zip": [:],
                ],
            ],
            responses: OpenAPI.authenticated(
                ["201": OpenAPI.json("Published.", "PublishedVersion")],
                errors: ["403": "Forbidden", "409": "Conflict", "413": "PayloadTooLarge", "422": "PublishRefused"])),
        OpenAPIOperation(
            method: "get", path: "/api/v1/packages/{namespace}/{package}", id: "showPackage", tag: "packages",
            summary: "Show a package: its visibility, latest version and every version, newest first.",
            parameters: packageParameters,
            responses: OpenAPI.authenticated(["200": OpenAPI.json("The package.", "PackageSummary")],
                                             errors: ["403": "Forbidden", "404": "NotFound"])),
        OpenAPIOperation(
            method: "get", path: "/api/v1/packages/{namespace}/{package}/versions/{version}", id: "showPackageVersion", tag: "packages",
            summary: "Show one version: manifest, sha256, signature, publisher, yanked and deprecated marks.",
            parameters: versionParameters,
            responses: OpenAPI.authenticated(["200": OpenAPI.json("The version.", "PackageVersionDetail")],
                                             errors: ["403": "Forbidden", "404": "NotFound", "422": "InvalidInput"])),
        OpenAPIOperation(
            method: "get", path: "/api/v1/packages/{namespace}/{package}/versions/{version}/archive", id: "downloadPackageVersion",
            tag: "packages", summary: "Download the archive exactly as it was published.",
            parameters: versionParameters,
            responses: OpenAPI.authenticated(
                [
                    "200": [
                        "description": "The archive; its sha256 is in `X-Toolhost-Checksum`.",
                        "headers": ["X-Toolhost-Checksum": ["description": "The archive's sha256 (hex).", "schema": OpenAPI.ref("Sha256")]],
                        "content": ["application/gzip": [:], "application/zip": [:]],
                    ]
                ],
                errors: ["403": "Forbidden", "404": "NotFound", "422": "InvalidInput"])),
        versionAction("yank", id: "yankPackageVersion", body: "YankRequest",
                      summary: "Yank a version: hidden from ranges and searches; an exact pin still resolves."),
        versionAction("unyank", id: "unyankPackageVersion", body: nil, summary: "Restore a yanked version."),
        versionAction("deprecate", id: "deprecatePackageVersion", body: "DeprecateRequest",
                      summary: "Mark a version deprecated with a message (an empty or missing message removes the mark)."),
    ]

    /// `POST …/versions/{version}/<action>`: changes a mark of the caller's tenant's own version.
    private static func versionAction(_ action: String, id: String, body: String?, summary: String) -> OpenAPIOperation {
        OpenAPIOperation(
            method: "post", path: "/api/v1/packages/{namespace}/{package}/versions/{version}/\(action)", id: id, tag: "packages",
            summary: summary, description: "Needs the `publish` scope and a package the caller's tenant owns.",
            parameters: versionParameters, requestBody: body.map { OpenAPI.jsonBody($0, required: false) },
            responses: OpenAPI.authenticated(
                ["200": OpenAPI.json("The version, changed.", "PackageVersionDetail")],
                errors: ["403": "Forbidden", "404": "NotFound", "413": "PayloadTooLarge", "422": "InvalidInput"]))
    }

    private static let namespacesAndKeys: [OpenAPIOperation] = [
        OpenAPIOperation(
            method: "post", path: "/api/v1/namespaces/{namespace}/signing-keys", id: "registerSigningKey", tag: "namespaces",
            summary: "Register a publisher's Ed25519 public key: from then on every upload to the namespace must be signed.",
            description: "Claims the namespace for the caller's tenant when it is new. Needs the `publish` scope. The namespace follows "
                + "the rule of publishing: 1-39 lowercase letters, digits and hyphens, not starting with a hyphen (422), not `toolhost` (403).",
            parameters: [OpenAPI.path("namespace", "The namespace (`acme`).")],
            requestBody: OpenAPI.jsonBody("SigningKeyRequest"),
            responses: OpenAPI.authenticated(
                ["201": OpenAPI.json("Registered (registering the same key again is harmless).", "SigningKeyRegistered")],
                errors: ["403": "Forbidden", "413": "PayloadTooLarge", "422": "InvalidInput"])),
        OpenAPIOperation(
            method: "post", path: "/api/v1/keys", id: "createAPIKey", tag: "keys",
            summary: "Create an API key; the secret is in the response only.",
            description: "Needs the `admin` scope. Another tenant's key needs a SUPER_ADMIN key; "
                + "a key never gets more privilege, nor a scope, than the one creating it has (a SUPER_ADMIN key may give any scope).",
            requestBody: OpenAPI.jsonBody("APIKeyRequest"),
            responses: OpenAPI.authenticated(
                ["201": OpenAPI.json("The new key.", "CreatedAPIKey")],
                errors: ["403": "Forbidden", "413": "PayloadTooLarge", "422": "InvalidInput"])),
    ]
}
