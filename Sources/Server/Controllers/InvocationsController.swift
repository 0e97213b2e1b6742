import Foundation
import HTTPTypes
import Host
import Hummingbird
import ToolhostCore

/// `POST /api/v1/tools/{name}/invoke` and its package forms: a tool call through the host's
/// pipeline (resolve, authorize, approval gate, validate, circuit breaker, run, span).
struct InvocationsController {
    let host: ToolHost

    /// Inputs are JSON documents of any size a tool accepts; past this the body is refused with 413.
    static let maxBodyBytes = 16 << 20

    func register(on group: RouterGroup<ToolhostRequestContext>) {
        // The same path positions and parameter names as the GET routes of ToolsController (the
        // router's trie wants one name per position). A built-in, or any reference written as one
        // URL-encoded segment (`acme%2Fword-count%40%5E1`); a package with one tool; a package's tool.
        group.post("tools/:name/invoke", use: invokeByName)
        group.post("tools/:name/:package/invoke", use: invokePackage)
        group.post("tools/:name/:package/:tool/invoke", use: invokePackagedTool)
    }

    /// `{"input": {...}, "agent": "agt_…"}`: the agent is optional.
    struct InvokeBody: Decodable {
        var input: JSONValue
        var agent: String?

        /// Reads the body with Toolhost's own JSON parser: the input is a `JSONValue` anyway, and
        /// Foundation's decoder finds one only by trying each kind in turn, which costs more than a
        /// small built-in's whole run.
        /// - Throws: ``ToolhostCore/ToolhostError`` `invalid_input` (422) naming the problem.
        static func parse(_ data: Data) throws -> InvokeBody {
            let body: JSONValue
            do {
                body = try JSONValue(parsing: data.isEmpty ? Data("{}".utf8) : data)
            } catch {
                throw ToolhostError(.invalidInput, "request body: not valid JSON: line \(error.line), column \(error.column): \(error.message)")
            }
            guard case .object(let fields) = body else {
                throw ToolhostError(.invalidInput, "request body: expected a JSON object")
            }
            guard let input = fields["input"] else {
                throw ToolhostError(.invalidInput, "request body: input: required field missing")
            }
            var agent: String?
            switch fields["agent"] {
            case nil, .null?: agent = nil
            case .string(let id)?: agent = id
            default:
                throw ToolhostError(.invalidInput, "request body: agent: expected a string")
            }
            return InvokeBody(input: input, agent: agent)
        }
    }

    @Sendable func invokeByName(_ request: Request, context: ToolhostRequestContext) async throws -> Response {
        try await invoke(try context.decodedParameter("name"), request: request, context: context)
    }

    @Sendable func invokePackage(_ request: Request, context: ToolhostRequestContext) async throws -> Response {
        let name = "\(try context.decodedParameter("name"))/\(try context.decodedParameter("package"))"
        return try await invoke(name, request: request, context: context)
    }

    @Sendable func invokePackagedTool(_ request: Request, context: ToolhostRequestContext) async throws -> Response {
        let name = "\(try context.decodedParameter("name"))/\(try context.decodedParameter("package"))/\(try context.decodedParameter("tool"))"
        return try await invoke(name, request: request, context: context)
    }

    private func invoke(_ tool: String, request: Request, context: ToolhostRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let body = try InvokeBody.parse(try await request.collectBody(upTo: Self.maxBodyBytes))
        let call = ToolCall(tool: tool, input: body.input, caller: caller, agentID: body.agent)
        let host = self.host
        // A client that goes away cancels its call: a sandboxed run is killed and the span says `cancelled`.
        return try Self.response(for: try await context.cancellingOnDisconnect { try await host.invoke(call) })
    }

    /// 200 with the result (a tool's own failure included, as `isError`), or 202 with the approval
    /// the call waits for and its address in `Location`.
    static func response(for outcome: ToolCallOutcome) throws -> Response {
        switch outcome {
        case .completed(let result):
            return try JSONResponse.make(result)
        case .pendingApproval(let approval):
            struct Pending: Encodable { var approval: Approval }
            var response = try JSONResponse.make(Pending(approval: approval), status: .accepted)
            response.headers[.location] = "/api/v1/approvals/\(approval.id)"
            return response
        }
    }
}
