import Foundation
import Host
import Hummingbird
import Registry
import ToolhostCore
import Traces

/// `GET /api/v1/traces…`: the spans of the caller's tenant's tool calls.
struct TracesController {
    let host: ToolHost

    func register(on group: RouterGroup<ToolhostRequestContext>) {
        group.get("traces", use: list)
        group.get("traces/:id", use: show)
    }

    /// Query: `tool` (the name calls resolved to, `acme/word-count/count`), `limit` (1-1000). Newest first.
    @Sendable func list(_ request: Request, context: ToolhostRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let parameters = request.uri.queryParameters
        let limit = try ApprovalsController.limit(parameters.get("limit"), default: 50, maximum: 1000)
        let tool = parameters.get("tool").flatMap { $0.isEmpty ? nil : $0 }
        struct Page: Encodable { var spans: [Span] }
        return try JSONResponse.make(Page(spans: try await host.spans(for: caller, tool: tool, limit: limit)))
    }

    /// Every span of one trace, oldest first; 404 when the tenant has none with that id.
    @Sendable func show(_ request: Request, context: ToolhostRequestContext) async throws -> Response {
        let id = try context.decodedParameter("id")
        let spans = try await host.trace(id, for: try context.requireCaller())
        struct Trace: Encodable {
            var traceId: String
            var spans: [Span]
        }
        return try JSONResponse.make(Trace(traceId: id, spans: spans))
    }
}
