import Foundation
import Host
import Hummingbird
import Registry
import ToolhostCore

/// `/api/v1/approvals…`: the calls that wait for a human (approval gates), and their decisions.
/// A gated call's result is read here once it has run.
struct ApprovalsController {
    let host: ToolHost

    func register(on group: RouterGroup<ToolhostRequestContext>) {
        group.get("approvals", use: list)
        group.get("approvals/:id", use: show)
        group.post("approvals/:id/approve", use: approve)
        group.post("approvals/:id/reject", use: reject)
    }

    /// Query: `status` (pending, running, completed, rejected, expired, interrupted), `limit` (1-500).
    @Sendable func list(_ request: Request, context: ToolhostRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let parameters = request.uri.queryParameters
        let status = try parameters.get("status").map { text in
            guard let status = Approval.Status(rawValue: text) else {
                throw ToolsController.badParameter("status", text, Approval.Status.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return status
        }
        let limit = try Self.limit(parameters.get("limit"), default: 100, maximum: 500)
        struct Page: Encodable { var approvals: [Approval] }
        return try JSONResponse.make(Page(approvals: try await host.approvals(for: caller, status: status, limit: limit)))
    }

    @Sendable func show(_ request: Request, context: ToolhostRequestContext) async throws -> Response {
        return try JSONResponse.make(try await host.approval(id: try context.decodedParameter("id"), for: try context.requireCaller()))
    }

    /// `{"input": edited, "reason": "…"}`, both optional: an edited input replaces the call's input
    /// once it validates against the tool's schema.
    struct ApproveBody: Decodable {
        var input: JSONValue?
        var reason: String?
    }

    struct RejectBody: Decodable {
        var reason: String?
    }

    /// Runs the call, exactly once, and answers with the approval and its result.
    @Sendable func approve(_ request: Request, context: ToolhostRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try caller.require(.approve)
        let body = try await request.decodeJSON(ApproveBody.self, upTo: InvocationsController.maxBodyBytes)
        let approval = try await host.approve(try context.decodedParameter("id"), by: caller, editedInput: body.input, reason: body.reason)
        return try JSONResponse.make(approval)
    }

    @Sendable func reject(_ request: Request, context: ToolhostRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try caller.require(.approve)
        let body = try await request.decodeJSON(RejectBody.self)
        return try JSONResponse.make(try await host.reject(try context.decodedParameter("id"), by: caller, reason: body.reason))
    }

    /// A `limit` query parameter from 1 to `maximum`.
    static func limit(_ text: String?, default value: Int, maximum: Int) throws -> Int {
        guard let text else { return value }
        guard let parsed = Int(text), (1...maximum).contains(parsed) else {
            throw ToolsController.badParameter("limit", text, "a number from 1 to \(maximum)")
        }
        return parsed
    }
}
