import Foundation
import ToolhostCore

/// `slack_post`: posts a message to the incoming webhook in the `SLACK_WEBHOOK_URL` secret.
///
/// A 4xx answer is Slack refusing the message (`invalid_payload`, `channel_not_found`…) and is a
/// result with `ok: false`; 5xx and network failures are errors. The webhook URL is a secret (its
/// path is the key), so messages name only its origin.
struct SlackPostTool: BuiltinTool {
    let name = "slack_post"

    /// The manifest's `permissions.network.egress` (a test checks that they agree).
    static let egress = ["hooks.slack.com:443"]
    /// Slack answers with a word or two; more is kept only this far.
    static let responseBytes = 4096

    func run(_ input: JSONValue, in context: ToolContext) async throws(ToolFailure) -> JSONValue {
        let payload = try Self.payload(input)
        let webhook = try context.secret("SLACK_WEBHOOK_URL")
        var request = WebRequest(method: "POST", url: webhook, timeoutMs: Int(context.timeoutSeconds(fallback: 30) * 1000))
        request.urlField = "the SLACK_WEBHOOK_URL secret"
        request.timeoutField = "slack_post's time limit"
        request.hidesURL = true
        request.maxRedirects = 0
        request.truncateAfter = Self.responseBytes
        request.headers = [("Content-Type", "application/json; charset=utf-8")]
        request.body = Data(JSONValue.object(payload).serialized().utf8)
        let response = try await WebClient(policy: context.configuration.network, egress: Self.egress).send(request)

        let text = String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if response.status >= 500 {
            throw ToolFailure(.upstream, "the Slack webhook answered \(response.status): \(text.isEmpty ? "(no body)" : text)")
        }
        return ["ok": .bool(response.status == 200), "status": .int(response.status), "response": .string(text)]
    }

    /// The webhook payload in Slack's field names; `text` or `blocks` is required, and at most one
    /// of `iconEmoji` and `iconUrl`.
    static func payload(_ input: JSONValue) throws(ToolFailure) -> [String: JSONValue] {
        let fields = try NetworkToolInput(input)
        var payload: [String: JSONValue] = [:]
        if let text = try fields.string("text") {
            guard !text.isEmpty else { throw ToolFailure(.invalidArgument, "text: must not be empty") }
            payload["text"] = .string(text)
        }
        if let blocks = input["blocks"] {
            guard let list = blocks.arrayValue, !list.isEmpty else { throw ToolFailure(.invalidArgument, "blocks: expected a non-empty array") }
            for (index, block) in list.enumerated() where block["type"]?.stringValue == nil {
                throw ToolFailure(.invalidArgument, "blocks[\(index)]: a block needs a string `type`")
            }
            payload["blocks"] = blocks
        }
        guard payload["text"] != nil || payload["blocks"] != nil else {
            throw ToolFailure(.invalidArgument, "text or blocks: give at least one of them")
        }
        guard !(fields.has("iconEmoji") && fields.has("iconUrl")) else {
            throw ToolFailure(.invalidArgument, "iconEmoji and iconUrl: give at most one of them")
        }
        for (field, key) in [("username", "username"), ("iconEmoji", "icon_emoji"), ("iconUrl", "icon_url"), ("threadTs", "thread_ts")] {
            if let value = try fields.string(field) { payload[key] = .string(value) }
        }
        payload["unfurl_links"] = .bool(try fields.bool("unfurlLinks", default: false))
        return payload
    }
}
