import Foundation
import Registry
import ToolhostCore

/// The OpenAPI 3.1 description of the API, served at `/openapi.json`.
///
/// Built in Swift from one entry per route (OpenAPI/OpenAPIDocument+Operations.swift) and the
/// component schemas (OpenAPI/OpenAPIDocument+Schemas.swift), so that enumerations such as scopes
/// and publish refusal codes come from the code that defines them. `OpenAPIDocumentTests` checks the
/// document against the OpenAPI 3.1 schema, against the routes the server registers (both ways) and
/// against the responses the live server gives.
public enum OpenAPIDocument {
    /// The document.
    public static let document: JSONValue = [
        "openapi": "3.1.0",
        "info": [
            "title": "Toolhost",
            "version": "0.1.0",
            "summary": "A tool marketplace and sandboxed tool-execution host.",
            "description": """
                The registry's API: search and show tools, publish, download, yank and deprecate package versions, \
                register signing keys, create API keys. The host's: call tools, decide approval gates, manage agents, \
                read circuit breakers and traces. Every `/api/v1` route needs `Authorization: Bearer <key>`; \
                every query is scoped to the key's tenant. Errors have the form `{"error": {"code", "message", "details"}}`.
                """,
            "license": ["name": "Apache-2.0", "identifier": "Apache-2.0"],
        ],
        "tags": [
            ["name": "service", "description": "Health, readiness and this document; no key needed."],
            ["name": "tools", "description": "The catalog's tools, built-in and published."],
            ["name": "packages", "description": "Package versions: publish, show, download, yank, deprecate."],
            ["name": "namespaces", "description": "Namespaces and their publishers' signing keys."],
            ["name": "keys", "description": "API keys of a tenant."],
            ["name": "calls", "description": "Tool calls through the host: one pipeline for every tool."],
            ["name": "approvals", "description": "Calls that wait for a human's decision (approval gates), and their results."],
            ["name": "agents", "description": "A tenant's agents: their privilege level, tool grants and approval policy."],
            ["name": "observability", "description": "Circuit breakers and the spans of tool calls."],
        ],
        "security": [["bearerAuth": []]],
        "paths": OpenAPIOperation.paths(operations),
        "components": [
            "securitySchemes": [
                "bearerAuth": [
                    "type": "http", "scheme": "bearer",
                    "description": """
                        An API key (`thk_…`). Each key has a tenant, a maximum privilege level and scopes (read, publish, invoke, approve, admin).
                        """,
                ]
            ],
            "schemas": .object(schemas.merging(hostSchemas) { registry, _ in registry }),
            "responses": .object(errorResponses),
        ],
    ]

    /// The document's bytes, serialized once.
    static let serialized = Data(document.serialized().utf8)

    /// `components/responses`: every error status the API uses, each in the `{"error": …}` form.
    static let errorResponses: [String: JSONValue] = [
        "Unauthorized": errorResponse("The key is missing, unknown or revoked (`unauthorized`)."),
        "Forbidden": errorResponse(
            "The key lacks the scope or privilege, or the object belongs to another tenant (`forbidden`; a refused publish into "
                + "another tenant's namespace has `details.publishCode` `namespace_owned`)."),
        "NotFound": errorResponse("No such object, or another tenant's private one (`not_found`)."),
        "Conflict": errorResponse("The version exists already; published versions are immutable (`conflict`)."),
        "PayloadTooLarge": errorResponse(
            "The body, or the archive once expanded, is over a cap (`payload_too_large`, with `details.publishCode` for archives: "
                + "\(codes(status: 413)))."),
        "InvalidInput": errorResponse("A parameter or the body is malformed (`invalid_input`, naming the field)."),
        "PublishRefused": errorResponse(
            "The archive or its manifest is refused (`invalid_input` or `invalid_manifest`); `details.publishCode` names the step: "
                + "\(codes(status: 422)), `checksum_mismatch`."),
        "InternalError": errorResponse("The store failed (`storage_error`) or a bug (`internal_error`)."),
        "ValidationFailed": errorResponse(
            "The input does not match the tool's `inputSchema` (`validation_failed`; `details.errors` lists each error with its "
                + "`instanceLocation`, `keywordLocation`, `keyword` and `message`), or a parameter or the body is malformed (`invalid_input`)."),
        "NotPending": errorResponse("The approval was decided already, expired or was interrupted (`conflict`; the message names its status)."),
        "AgentExists": errorResponse("The tenant has an agent of that name already (`conflict`)."),
        "CircuitOpen": [
            "description": "The tool's circuit breaker is open after repeated failures (`circuit_open`); nothing ran. Retry after `Retry-After` seconds.",
            "headers": ["Retry-After": ["description": "Seconds until the circuit lets a trial call through.", "schema": ["type": "integer", "minimum": 1]]],
            "content": ["application/json": ["schema": ref("Error")]],
        ],
    ]

    private static func errorResponse(_ description: String) -> JSONValue {
        ["description": .string(description), "content": ["application/json": ["schema": ref("Error")]]]
    }

    /// The publish refusal codes reported with `status`, as they appear in `details.publishCode`.
    private static func codes(status: Int) -> String {
        let all: [PublishError.Code] = [
            .tooLarge, .expandedTooLarge, .fileTooLarge, .manifestTooLarge, .expansionRatio, .tooManyEntries,
            .pathTraversal, .absolutePath, .invalidPath, .pathTooLong, .pathTooDeep, .linkOutside, .symlink, .hardlink,
            .specialFile, .setuid, .duplicateEntry, .pathConflict, .encryptedEntry, .missingManifest, .invalidArchive,
            .badSignature, .invalidKey, .invalidDigest, .understatedPrivilege, .breakingChange,
        ]
        return all.filter { $0.httpStatus == status }.map { "`\($0.rawValue)`" }.joined(separator: ", ")
    }
}
