import Foundation
import ToolhostCore

/// One recorded operation: a tool call (`execute_tool {tool}`), later also workflow runs and LLM
/// calls. Field names follow the OpenTelemetry GenAI conventions where they exist.
public struct Span: Sendable, Hashable, Codable {
    /// How the operation ended.
    public enum Status: String, Sendable, Hashable, Codable {
        case ok
        case error
    }

    /// 32 lowercase hex digits, shared by every span of one trace.
    public var traceID: String
    /// 16 lowercase hex digits.
    public var spanID: String
    public var parentSpanID: String?
    /// `execute_tool hash_digest`.
    public var name: String
    /// The tenant every query is scoped to.
    public var tenant: String
    /// `gen_ai.tool.name`: the name the tool was called by (`hash_digest`, `acme/word-count/count`).
    public var tool: String
    /// The package and the version that ran.
    public var package: String
    public var toolVersion: String
    /// The API key (or `local-cli`) that made the call.
    public var caller: String
    /// The agent the call was made for, if any.
    public var agent: String?
    /// The tool's privilege level (1…5).
    public var privilegeLevel: Int
    public var status: Status
    /// The kind of failure (`invalid_input`, `forbidden`, `timeout`, `upstream_error`, …); nil when ok.
    public var errorType: String?
    public var errorMessage: String?
    public var start: Date
    public var durationMs: Double
    public var inputBytes: Int
    public var outputBytes: Int
    /// Estimated, not counted by a tokenizer: the bytes of the JSON divided by four, rounded up.
    public var estimatedInputTokens: Int
    /// Estimated like ``estimatedInputTokens``.
    public var estimatedOutputTokens: Int
    /// For sandboxed tools: the run's outcome and usage.
    public var sandbox: SandboxUsage?
    /// The call's id, by which approvals and results refer to it.
    public var callID: String?
    /// Further attributes, for lookups by a chosen key.
    public var attributes: [String: String]

    /// The JSON form writes identifiers as the rest of the API does (`traceId`, `callId`).
    enum CodingKeys: String, CodingKey {
        case traceID = "traceId", spanID = "spanId", parentSpanID = "parentSpanId", callID = "callId"
        case name, tenant, tool, package, toolVersion, caller, agent, privilegeLevel, status, errorType, errorMessage, start
        case durationMs, inputBytes, outputBytes, estimatedInputTokens, estimatedOutputTokens, sandbox, attributes
    }

    public init(
        traceID: String, spanID: String, parentSpanID: String? = nil, name: String, tenant: String, tool: String,
        package: String, toolVersion: String, caller: String, agent: String? = nil, privilegeLevel: Int,
        status: Status, errorType: String? = nil, errorMessage: String? = nil, start: Date, durationMs: Double,
        inputBytes: Int, outputBytes: Int, sandbox: SandboxUsage? = nil, callID: String? = nil,
        attributes: [String: String] = [:]
    ) {
        self.traceID = traceID
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.name = name
        self.tenant = tenant
        self.tool = tool
        self.package = package
        self.toolVersion = toolVersion
        self.caller = caller
        self.agent = agent
        self.privilegeLevel = privilegeLevel
        self.status = status
        self.errorType = errorType
        self.errorMessage = errorMessage
        self.start = start
        self.durationMs = durationMs
        self.inputBytes = inputBytes
        self.outputBytes = outputBytes
        self.estimatedInputTokens = Self.estimatedTokens(bytes: inputBytes)
        self.estimatedOutputTokens = Self.estimatedTokens(bytes: outputBytes)
        self.sandbox = sandbox
        self.callID = callID
        self.attributes = attributes
    }

    /// The usual rule of thumb for English text and JSON: about four bytes per token.
    public static func estimatedTokens(bytes: Int) -> Int {
        (bytes + 3) / 4
    }
}

/// Random identifiers in the W3C trace-context format.
public enum TraceIdentifiers {
    /// A new trace id: 16 random bytes as 32 lowercase hex digits.
    public static func newTraceID() -> String { hex(count: 16) }
    /// A new span id: 8 random bytes as 16 lowercase hex digits.
    public static func newSpanID() -> String { hex(count: 8) }

    private static func hex(count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(count * 2)
        for _ in 0..<count {
            let byte = UInt8.random(in: 0...255, using: &generator)
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 15)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
