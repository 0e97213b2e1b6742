import BuiltinTools
import Foundation
import ToolhostCore
import Traces

/// The answer to one tool call: the output (or the tool's error), ids to find the call again,
/// and what it used.
public struct ToolCallResult: Sendable, Hashable, Codable {
    /// What the call used.
    public struct Usage: Sendable, Hashable, Codable {
        public var durationMs: Double
        public var inputBytes: Int
        public var outputBytes: Int
        /// Estimated (bytes ÷ 4), not counted by a tokenizer.
        public var estimatedInputTokens: Int
        /// Estimated like ``estimatedInputTokens``.
        public var estimatedOutputTokens: Int
        /// For sandboxed tools: the sandbox's outcome and usage.
        public var sandbox: SandboxUsage?
    }

    /// A tool error: why the tool produced no output.
    public struct ToolError: Sendable, Hashable, Codable {
        /// `invalid_argument`, `timeout`, `upstream_error`, `invalid_output`, `tool_failed`, … (one of
        /// ``BuiltinTools/ToolFailure/Kind``'s).
        public var type: ToolFailure.Kind
        public var message: String
    }

    /// The tool's output; null when ``isError``.
    public var output: JSONValue
    /// True when the tool failed; ``error`` says why.
    public var isError: Bool
    public var error: ToolError?
    /// The tool and version that ran (`hash_digest`, `toolhost/hash_digest@1.0.0`).
    public var tool: String
    public var version: String
    public var callId: String
    public var traceId: String
    public var spanId: String
    public var usage: Usage
}

extension ToolCallResult {
    /// The answer of a gated call that never ran (rejected, expired): an error with its own ids.
    static func refused(_ approval: Approval, kind: ToolFailure.Kind, message: String) -> ToolCallResult {
        let inputBytes = approval.input.serialized().utf8.count
        return ToolCallResult(
            output: .null, isError: true, error: ToolError(type: kind, message: message), tool: approval.tool,
            version: approval.toolVersion, callId: approval.callId, traceId: TraceIdentifiers.newTraceID(),
            spanId: TraceIdentifiers.newSpanID(),
            usage: Usage(durationMs: 0, inputBytes: inputBytes, outputBytes: 0, estimatedInputTokens: Span.estimatedTokens(bytes: inputBytes),
                         estimatedOutputTokens: 0, sandbox: nil))
    }
}

/// How a call ended: with a result, or waiting for a human's approval.
public enum ToolCallOutcome: Sendable, Hashable {
    case completed(ToolCallResult)
    case pendingApproval(Approval)
}
