import BuiltinTools
import Foundation
import Registry
import ToolhostCore
import Traces

/// The span of one call while it runs: ids and start time first, the rest when it ends.
struct SpanDraft {
    var traceID: String
    var spanID = TraceIdentifiers.newSpanID()
    var parentSpanID: String?
    var callID = "call_" + ToolHost.randomID()
    let start = Date()
    let startInstant = ContinuousClock.now
    let tenant: String
    let tool: ResolvedTool
    let caller: String
    let agent: String?
    let inputBytes: Int
    var attributes: [String: String] = [:]

    init(call: ToolCall, tool: ResolvedTool, agent: Agent?) {
        traceID = call.traceID ?? TraceIdentifiers.newTraceID()
        parentSpanID = call.parentSpanID
        tenant = call.caller.tenant
        self.tool = tool
        caller = call.caller.keyID
        self.agent = agent?.id
        inputBytes = call.input.serialized().utf8.count
    }

    var elapsedMs: Double {
        let elapsed = ContinuousClock.now - startInstant
        return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
    }

    /// Records a call that was refused before it ran (forbidden, invalid input, circuit open).
    func fail(_ error: ToolhostError, store: any TraceStore) throws(ToolhostError) {
        try store.record(base(status: .error, errorType: error.code.rawValue, errorMessage: error.message,
                              outputBytes: 0, sandbox: nil))
    }

    /// The call's result, with the usage measured up to now.
    func finish(_ outcome: Result<JSONValue, ToolFailure>, sandbox: SandboxUsage?) -> ToolCallResult {
        let (output, error): (JSONValue, ToolCallResult.ToolError?) = switch outcome {
        case .success(let output): (output, nil)
        case .failure(let failure): (.null, .init(type: failure.kind, message: failure.message))
        }
        let outputBytes = error == nil ? output.serialized().utf8.count : 0
        return ToolCallResult(
            output: output, isError: error != nil, error: error, tool: tool.name, version: tool.versionLabel,
            callId: callID, traceId: traceID, spanId: spanID,
            usage: .init(durationMs: (elapsedMs * 1000).rounded() / 1000, inputBytes: inputBytes, outputBytes: outputBytes,
                         estimatedInputTokens: Span.estimatedTokens(bytes: inputBytes),
                         estimatedOutputTokens: Span.estimatedTokens(bytes: outputBytes), sandbox: sandbox))
    }

    /// The stored span of a finished call.
    func span(for result: ToolCallResult) -> Span {
        var span = base(status: result.isError ? .error : .ok, errorType: result.error?.type.rawValue, errorMessage: result.error?.message,
                        outputBytes: result.usage.outputBytes,
                        sandbox: result.usage.sandbox)
        span.durationMs = result.usage.durationMs
        return span
    }

    private func base(status: Span.Status, errorType: String?, errorMessage: String?, outputBytes: Int, sandbox: SandboxUsage?) -> Span {
        Span(traceID: traceID, spanID: spanID, parentSpanID: parentSpanID, name: "execute_tool \(tool.name)", tenant: tenant,
             tool: tool.name, package: tool.detail.package, toolVersion: tool.detail.version.description, caller: caller,
             agent: agent, privilegeLevel: tool.privilegeLevel.rawValue, status: status, errorType: errorType,
             errorMessage: errorMessage, start: start, durationMs: elapsedMs, inputBytes: inputBytes, outputBytes: outputBytes,
             sandbox: sandbox, callID: callID, attributes: attributes)
    }
}
