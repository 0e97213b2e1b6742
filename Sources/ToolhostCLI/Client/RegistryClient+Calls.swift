import Foundation
import Host
import ToolhostCore
import Traces

/// The server's tool-call, approval and trace routes.
extension RegistryClient {
    /// `POST /api/v1/tools/{name}/invoke`: a result (200) or an approval gate (202).
    func invoke(tool: String, input: JSONValue, agent: String?) async throws(RegistryClientError) -> ToolCallOutcome {
        struct Body: Encodable {
            var input: JSONValue
            var agent: String?
        }
        struct Answer: Decodable {
            var approval: Approval?
            var result: ToolCallResult?

            init(from decoder: any Decoder) throws {
                let keys = try decoder.container(keyedBy: AnyKey.self)
                if keys.contains(AnyKey("approval")) {
                    approval = try keys.decode(Approval.self, forKey: AnyKey("approval"))
                } else {
                    result = try ToolCallResult(from: decoder)
                }
            }
        }
        // The name may hold slashes (acme/word-count/count): each becomes its own path segment.
        let path = ["tools"] + tool.split(separator: "/").map(String.init) + ["invoke"]
        let answer: Answer = try await post(path, json: Body(input: input, agent: agent))
        if let approval = answer.approval { return .pendingApproval(approval) }
        guard let result = answer.result else {
            throw RegistryClientError(.badResponse, "the server answered neither a result nor an approval", url: url(for: path, query: []))
        }
        return .completed(result)
    }

    func approvals(status: Approval.Status) async throws(RegistryClientError) -> [Approval] {
        struct Page: Decodable { var approvals: [Approval] }
        return try await get(["approvals"], query: [URLQueryItem(name: "status", value: status.rawValue)], as: Page.self).approvals
    }

    func approval(id: String) async throws(RegistryClientError) -> Approval {
        try await get(["approvals", id])
    }

    func approve(id: String, input: JSONValue?, reason: String?) async throws(RegistryClientError) -> Approval {
        struct Body: Encodable {
            var input: JSONValue?
            var reason: String?
        }
        return try await post(["approvals", id, "approve"], json: Body(input: input, reason: reason))
    }

    func reject(id: String, reason: String?) async throws(RegistryClientError) -> Approval {
        struct Body: Encodable { var reason: String? }
        return try await post(["approvals", id, "reject"], json: Body(reason: reason))
    }

    func traces(tool: String?, limit: Int) async throws(RegistryClientError) -> [Span] {
        struct Page: Decodable { var spans: [Span] }
        var query = [URLQueryItem(name: "limit", value: String(limit))]
        if let tool { query.append(URLQueryItem(name: "tool", value: tool)) }
        return try await get(["traces"], query: query, as: Page.self).spans
    }
}

/// A coding key made from any string, for answers whose shape depends on which keys are present.
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
