import Host
import Sandbox
import ToolhostCore

extension OpenAPIDocument {
    /// `components/schemas` of the host's routes: tool calls, approvals, agents, circuits, spans.
    static let hostSchemas: [String: JSONValue] = [
        "AnyJSON": ["description": "Any JSON value."],
        "DateTime": ["type": "string", "format": "date-time"],
        "ToolCallRequest": object(
            [
                "input": ["description": "The tool's input; it must match the tool's `inputSchema` (most tools take an object)."],
                "agent": ["type": "string", "description": "Call for this agent: its grants, level and approval policy apply too."],
            ], optional: ["agent"]),
        "ToolError": object(
            [
                "type": ["type": "string", "examples": ["invalid_argument", "timeout", "tool_failed", "invalid_output", "not_configured"]],
                "message": ["type": "string"],
            ]),
        "SandboxUsage": object(
            [
                "outcome": ["type": "string", "enum": .array(SandboxOutcome.allCases.map { .string($0.rawValue) })],
                "wallMs": ["type": "number"], "cpuMs": ["type": "number"], "peakMemoryBytes": ["type": "integer"],
            ]),
        "ToolCallUsage": object(
            [
                "durationMs": ["type": "number", "minimum": 0],
                "inputBytes": ["type": "integer", "minimum": 0], "outputBytes": ["type": "integer", "minimum": 0],
                "estimatedInputTokens": ["type": "integer", "minimum": 0, "description": "Bytes ÷ 4, not counted by a tokenizer."],
                "estimatedOutputTokens": ["type": "integer", "minimum": 0],
                "sandbox": ["$ref": "#/components/schemas/SandboxUsage", "description": "For tools that ran in the sandbox."],
            ], optional: ["sandbox"]),
        "ToolCallResult": object(
            [
                "output": ["description": "The tool's output, matching its `outputSchema`; null when `isError`."],
                "isError": ["type": "boolean", "description": "The tool failed; `error` says why. Still a 200: the call itself went through."],
                "error": ref("ToolError"),
                "tool": ["type": "string", "description": "The tool as resolved (`acme/word-count/count`)."],
                "version": ["type": "string", "description": "The package version that ran (`acme/word-count@1.0.0`)."],
                "callId": ["type": "string"], "traceId": ["type": "string", "pattern": "^[0-9a-f]{32}$"],
                "spanId": ["type": "string", "pattern": "^[0-9a-f]{16}$"], "usage": ref("ToolCallUsage"),
            ], optional: ["error"]),
        "ApprovalStatus": [
            "type": "string", "enum": .array(Approval.Status.allCases.map { .string($0.rawValue) }),
            "description": "`interrupted`: approved, but the server stopped while the call ran; it is never run again.",
        ],
        "Approval": object(
            [
                "id": ["type": "string"], "tenant": ["type": "string"], "tool": ["type": "string"],
                "toolVersion": ["type": "string", "description": "The version the call resolved to; the approved run uses exactly it."],
                "input": ref("AnyJSON"), "caller": ["type": "string", "description": "The id of the API key that made the call."],
                "agent": ["type": "string"], "reason": ["type": "string", "description": "Why the gate opened."],
                "status": ref("ApprovalStatus"), "createdAt": ref("DateTime"), "expiresAt": ref("DateTime"),
                "decidedBy": ["type": "string"], "decidedAt": ref("DateTime"), "decisionReason": ["type": "string"],
                "editedInput": ["description": "The input as the approver edited it; the call ran with it."],
                "callId": ["type": "string", "description": "The id the call's result and span carry."],
                "result": ["$ref": "#/components/schemas/ToolCallResult", "description": "Once the approved call has run."],
                "traceId": ["type": "string", "pattern": "^[0-9a-f]{32}$", "description": "The call's trace; the approved run's span joins it."],
                "parentSpanId": ["type": "string", "pattern": "^[0-9a-f]{16}$", "description": "The span the call was made under, if any."],
            ], optional: ["agent", "decidedBy", "decidedAt", "decisionReason", "editedInput", "result", "traceId", "parentSpanId"]),
        "PendingApproval": object(["approval": ref("Approval")]),
        "ApprovalPage": object(["approvals": ["type": "array", "items": ref("Approval"), "description": "Newest first."]]),
        "ApproveRequest": object(
            [
                "input": ["description": "An edited input, validated against the tool's `inputSchema` before the call runs with it."],
                "reason": ["type": "string"],
            ], optional: ["input", "reason"]),
        "RejectRequest": object(["reason": ["type": "string"]], optional: ["reason"]),
        "ToolPatterns": [
            "type": "array", "maxItems": 1000,
            "items": ["type": "string", "minLength": 1, "maxLength": 256, "examples": ["file_*", "acme/word-count/count"]],
            "description": "Tool names or globs of letters, digits and `_ - . / @` (`*` any characters, slashes included; `?` one character).",
        ],
        "Agent": object(
            [
                "id": ["type": "string"], "tenant": ["type": "string"], "name": ["type": "string"], "maxPrivilege": ref("PrivilegeLevel"),
                "tools": ["$ref": "#/components/schemas/ToolPatterns", "description": "The tools the agent may call; empty grants nothing."],
                "approvalRequired": ["$ref": "#/components/schemas/ToolPatterns", "description": "Tools whose calls wait for an approval."],
                "createdAt": ref("DateTime"), "createdBy": ["type": "string"],
            ]),
        "AgentPage": object(["agents": ["type": "array", "items": ref("Agent"), "description": "By name."]]),
        "AgentRequest": object(
            [
                "name": ["type": "string", "minLength": 1, "maxLength": 64, "description": "Unique within the tenant."],
                "maxPrivilege": ref("PrivilegeLevel"), "tools": ref("ToolPatterns"), "approvalRequired": ref("ToolPatterns"),
            ], optional: ["approvalRequired"]),
        "AgentToolsRequest": object(
            ["tools": ref("ToolPatterns"), "approvalRequired": ["$ref": "#/components/schemas/ToolPatterns", "description": "Kept when absent."]],
            optional: ["approvalRequired"]),
        "AgentCallRequest": object(
            [
                "tool": ["type": "string", "description": "`hash_digest`, `acme/word-count@^1`, `acme/word-count/count@1.2.0`."],
                "input": ["description": "The tool's input; it must match the tool's `inputSchema`."],
            ]),
        "CircuitState": object(
            [
                "tenant": ["type": "string"], "tool": ["type": "string"],
                "state": ["type": "string", "enum": ["closed", "open", "half_open"]],
                "recentFailures": ["type": "array", "items": ref("DateTime"), "description": "Failures inside the window, oldest first."],
                "openedAt": ref("DateTime"), "lastError": ["type": "string"],
                "retryAfter": ["$ref": "#/components/schemas/DateTime", "description": "When an open circuit lets a trial call through."],
            ], optional: ["openedAt", "lastError", "retryAfter"]),
        "CircuitPage": object(["circuits": ["type": "array", "items": ref("CircuitState")]]),
        "Span": object(
            [
                "traceId": ["type": "string", "pattern": "^[0-9a-f]{32}$"], "spanId": ["type": "string", "pattern": "^[0-9a-f]{16}$"],
                "parentSpanId": ["type": "string"],
                "name": ["type": "string", "examples": ["execute_tool acme/word-count/count"]],
                "tenant": ["type": "string"], "tool": ["type": "string"], "package": ["type": "string"], "toolVersion": ref("SemanticVersion"),
                "caller": ["type": "string"], "agent": ["type": "string"], "privilegeLevel": ref("PrivilegeLevel"),
                "status": ["type": "string", "enum": ["ok", "error"]],
                "errorType": ["type": "string", "description": "`forbidden`, `validation_failed`, `circuit_open`, `timeout`, …"],
                "errorMessage": ["type": "string"], "start": ref("DateTime"), "durationMs": ["type": "number", "minimum": 0],
                "inputBytes": ["type": "integer"], "outputBytes": ["type": "integer"],
                "estimatedInputTokens": ["type": "integer"], "estimatedOutputTokens": ["type": "integer"],
                "sandbox": ref("SandboxUsage"), "callId": ["type": "string"],
                "attributes": ["type": "object", "additionalProperties": ["type": "string"]],
            ], optional: ["parentSpanId", "agent", "errorType", "errorMessage", "sandbox", "callId"]),
        "SpanPage": object(["spans": ["type": "array", "items": ref("Span"), "description": "Newest first."]]),
        "Trace": object(["traceId": ["type": "string"], "spans": ["type": "array", "items": ref("Span"), "description": "Oldest first."]]),
    ]
}
