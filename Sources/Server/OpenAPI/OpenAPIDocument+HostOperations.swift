import Host
import ToolhostCore

extension OpenAPIDocument {
    /// The routes of the host: tool calls, approvals, agents, circuits and traces.
    static let hostOperations: [OpenAPIOperation] = invocations + approvals + agents + circuits + traces

    /// What every tool call can answer, whatever the route.
    private static func callResponses(_ extra: [String: String] = [:]) -> [String: JSONValue] {
        var errors = ["403": "Forbidden", "404": "NotFound", "413": "PayloadTooLarge", "422": "ValidationFailed", "503": "CircuitOpen"]
        errors.merge(extra) { _, new in new }
        return OpenAPI.authenticated(
            [
                "200": OpenAPI.json("The call ran; a tool's own failure is `isError: true` with `error`.", "ToolCallResult"),
                "202": OpenAPI.json(
                    "The call waits for a human's approval (privilege level 3 and up, or the agent's policy); it has not run. "
                        + "`GET` the `Location` for its status and, once approved, its result.", "PendingApproval",
                    headers: ["Location": ["description": "`/api/v1/approvals/{id}`.", "schema": ["type": "string"]]]),
            ],
            errors: errors)
    }

    private static let invocationDescription = """
        The pipeline: resolve `name@range` → authorize (the key's scope `invoke` and level, the agent's grants and level) → \
        validate the input against the tool's `inputSchema` (422 with `details.errors`) → approval gate (202) → circuit \
        breaker (503 with `Retry-After`) → run (built-in, or the package in the sandbox) → validate the output → record a span. \
        Write `@range` URL-encoded in the last segment (`count%40%5E1`).
        """

    private static let invocations: [OpenAPIOperation] = [
        OpenAPIOperation(
            method: "post", path: "/api/v1/tools/{name}/invoke", id: "invokeTool", tag: "calls",
            summary: "Call a built-in tool (`hash_digest`), or any tool named in one URL-encoded segment (`acme%2Fword-count%2Fcount`).",
            description: invocationDescription,
            parameters: [OpenAPI.path("name", "The tool, optionally with `@range`.")],
            requestBody: OpenAPI.jsonBody("ToolCallRequest"), responses: callResponses()),
        OpenAPIOperation(
            method: "post", path: "/api/v1/tools/{name}/{package}/invoke", id: "invokePackage", tag: "calls",
            summary: "Call the one tool of a package (`acme/word-count`); 422 when the package has several.",
            description: invocationDescription,
            parameters: [OpenAPI.path("name", "The package's namespace."), OpenAPI.path("package", "The package, optionally with `@range`.")],
            requestBody: OpenAPI.jsonBody("ToolCallRequest"), responses: callResponses()),
        OpenAPIOperation(
            method: "post", path: "/api/v1/tools/{name}/{package}/{tool}/invoke", id: "invokePackagedTool", tag: "calls",
            summary: "Call a package's tool (`acme/word-count/count`).",
            description: invocationDescription,
            parameters: [
                OpenAPI.path("name", "The package's namespace."), OpenAPI.path("package", "The package."),
                OpenAPI.path("tool", "The tool, optionally with `@range` (the package's versions)."),
            ],
            requestBody: OpenAPI.jsonBody("ToolCallRequest"), responses: callResponses()),
    ]

    private static let approvalID = OpenAPI.path("id", "The approval's id (`apr_…`).")

    private static let approvals: [OpenAPIOperation] = [
        OpenAPIOperation(
            method: "get", path: "/api/v1/approvals", id: "listApprovals", tag: "approvals",
            summary: "List the tenant's approvals, newest first. Needs the `read` scope.",
            parameters: [
                OpenAPI.query("status", "Only approvals in this status.", schema: OpenAPI.ref("ApprovalStatus")),
                OpenAPI.query("limit", "At most this many.", schema: ["type": "integer", "minimum": 1, "maximum": 500, "default": 100]),
            ],
            responses: OpenAPI.authenticated(["200": OpenAPI.json("The approvals.", "ApprovalPage")],
                                             errors: ["403": "Forbidden", "422": "InvalidInput"])),
        OpenAPIOperation(
            method: "get", path: "/api/v1/approvals/{id}", id: "showApproval", tag: "approvals",
            summary: "Show an approval; once the approved call has run, `result` holds its result. Needs the `read` scope.",
            parameters: [approvalID],
            responses: OpenAPI.authenticated(["200": OpenAPI.json("The approval.", "Approval")],
                                             errors: ["403": "Forbidden", "404": "NotFound"])),
        OpenAPIOperation(
            method: "post", path: "/api/v1/approvals/{id}/approve", id: "approveCall", tag: "approvals",
            summary: "Approve a pending call and run it, exactly once, with the input as approved (optionally edited).",
            description: "Needs the `approve` scope and a key at least at the tool's level (403 otherwise). A second decision is 409. An edited input that breaks the tool's schema is 422 "
                + "and leaves the approval pending; so does an open circuit (503): nothing ran.",
            parameters: [approvalID], requestBody: OpenAPI.jsonBody("ApproveRequest", required: false),
            responses: OpenAPI.authenticated(
                ["200": OpenAPI.json("Approved and run; `result` is the call's result (a tool's failure has `isError`).", "Approval")],
                errors: ["403": "Forbidden", "404": "NotFound", "409": "NotPending", "413": "PayloadTooLarge", "422": "ValidationFailed",
                         "503": "CircuitOpen"])),
        OpenAPIOperation(
            method: "post", path: "/api/v1/approvals/{id}/reject", id: "rejectCall", tag: "approvals",
            summary: "Reject a pending call; it never runs. Needs what approving needs: the `approve` scope and a key at least at the tool's level.",
            parameters: [approvalID], requestBody: OpenAPI.jsonBody("RejectRequest", required: false),
            responses: OpenAPI.authenticated(
                ["200": OpenAPI.json("Rejected.", "Approval")],
                errors: ["403": "Forbidden", "404": "NotFound", "409": "NotPending", "413": "PayloadTooLarge", "422": "InvalidInput"])),
    ]

    private static let agentID = OpenAPI.path("id", "The agent's id (`agt_…`).")

    private static let agents: [OpenAPIOperation] = [
        OpenAPIOperation(
            method: "post", path: "/api/v1/agents", id: "createAgent", tag: "agents",
            summary: "Create an agent: a named caller of the tenant with its own level, tool grants and approval policy.",
            description: "Needs the `admin` scope; the agent's `maxPrivilege` is at most the key's. Audited.",
            requestBody: OpenAPI.jsonBody("AgentRequest"),
            responses: OpenAPI.authenticated(
                ["201": OpenAPI.json("The agent.", "Agent", headers: ["Location": ["description": "`/api/v1/agents/{id}`.", "schema": ["type": "string"]]])],
                errors: ["403": "Forbidden", "409": "AgentExists", "413": "PayloadTooLarge", "422": "InvalidInput"])),
        OpenAPIOperation(
            method: "get", path: "/api/v1/agents", id: "listAgents", tag: "agents",
            summary: "List the tenant's agents. Needs the `read` scope.",
            responses: OpenAPI.authenticated(["200": OpenAPI.json("The agents.", "AgentPage")], errors: ["403": "Forbidden"])),
        OpenAPIOperation(
            method: "get", path: "/api/v1/agents/{id}", id: "showAgent", tag: "agents",
            summary: "Show an agent. Needs the `read` scope.", parameters: [agentID],
            responses: OpenAPI.authenticated(["200": OpenAPI.json("The agent.", "Agent")], errors: ["403": "Forbidden", "404": "NotFound"])),
        OpenAPIOperation(
            method: "put", path: "/api/v1/agents/{id}/tools", id: "setAgentTools", tag: "agents",
            summary: "Replace an agent's tool grants (and, when given, the tools that need approval).",
            description: "An ADMIN action (privilege level 4): needs the `admin` scope, a level-4 key and at least the agent's level. Audited.",
            parameters: [agentID], requestBody: OpenAPI.jsonBody("AgentToolsRequest"),
            responses: OpenAPI.authenticated(
                ["200": OpenAPI.json("The agent with its new grants.", "Agent")],
                errors: ["403": "Forbidden", "404": "NotFound", "413": "PayloadTooLarge", "422": "InvalidInput"])),
        OpenAPIOperation(
            method: "post", path: "/api/v1/agents/{id}/invoke", id: "invokeAsAgent", tag: "calls",
            summary: "Call a tool for an agent: the agent's grants, level and approval policy apply on top of the key's.",
            description: invocationDescription, parameters: [agentID], requestBody: OpenAPI.jsonBody("AgentCallRequest"),
            responses: callResponses()),
    ]

    private static let circuits: [OpenAPIOperation] = [
        OpenAPIOperation(
            method: "get", path: "/api/v1/circuits", id: "listCircuits", tag: "observability",
            summary: "The tenant's circuit breakers that are open, half-open, or closed with recent failures. Needs the `read` scope.",
            responses: OpenAPI.authenticated(["200": OpenAPI.json("The circuits, by tool.", "CircuitPage")], errors: ["403": "Forbidden"])),
        OpenAPIOperation(
            method: "get", path: "/api/v1/tools/{name}/circuit", id: "showBuiltinCircuit", tag: "observability",
            summary: "The circuit breaker of a built-in tool (closed when it never failed).",
            parameters: [OpenAPI.path("name", "The built-in tool's name.")],
            responses: OpenAPI.authenticated(["200": OpenAPI.json("The circuit.", "CircuitState")],
                                             errors: ["403": "Forbidden", "404": "NotFound"])),
        OpenAPIOperation(
            method: "get", path: "/api/v1/tools/{name}/{package}/{tool}/circuit", id: "showPackagedCircuit", tag: "observability",
            summary: "The circuit breaker of a package's tool (closed when it never failed).",
            parameters: [OpenAPI.path("name", "The package's namespace."), OpenAPI.path("package", "The package."), OpenAPI.path("tool", "The tool.")],
            responses: OpenAPI.authenticated(["200": OpenAPI.json("The circuit.", "CircuitState")],
                                             errors: ["403": "Forbidden", "404": "NotFound"])),
    ]

    private static let traces: [OpenAPIOperation] = [
        OpenAPIOperation(
            method: "get", path: "/api/v1/traces", id: "listSpans", tag: "observability",
            summary: "The tenant's latest tool-call spans, newest first (refused calls included). Needs the `read` scope.",
            parameters: [
                OpenAPI.query("tool", "Only calls of this tool, as calls resolve it (`acme/word-count/count`)."),
                OpenAPI.query("limit", "At most this many.", schema: ["type": "integer", "minimum": 1, "maximum": 1000, "default": 50]),
            ],
            responses: OpenAPI.authenticated(["200": OpenAPI.json("The spans.", "SpanPage")], errors: ["403": "Forbidden", "422": "InvalidInput"])),
        OpenAPIOperation(
            method: "get", path: "/api/v1/traces/{id}", id: "showTrace", tag: "observability",
            summary: "Every span of one trace, oldest first. Needs the `read` scope.",
            parameters: [OpenAPI.path("id", "The trace id (32 hex digits, the `traceId` of a call's result).")],
            responses: OpenAPI.authenticated(["200": OpenAPI.json("The trace.", "Trace")], errors: ["403": "Forbidden", "404": "NotFound"])),
    ]
}
