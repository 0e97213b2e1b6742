import Registry
import ToolhostCore
import Traces

/// The spans of calls, as a caller may see them.
extension ToolHost {
    /// The latest spans of the caller's tenant, newest first, optionally of one tool. Needs the `read` scope.
    public func spans(for caller: Caller, tool: String? = nil, limit: Int = 50) async throws(ToolhostError) -> [Span] {
        try caller.require(.read)
        return try await traces.recent(tenant: caller.tenant, tool: tool, limit: limit)
    }

    /// Every span of one trace of the caller's tenant, oldest first. Needs the `read` scope.
    /// - Throws: ``ToolhostError`` `not_found` when the tenant has no span in that trace.
    public func trace(_ id: String, for caller: Caller) async throws(ToolhostError) -> [Span] {
        try caller.require(.read)
        let spans = try await traces.trace(id, tenant: caller.tenant)
        guard !spans.isEmpty else { throw ToolhostError(.notFound, "no trace \"\(id)\"") }
        return spans
    }
}
