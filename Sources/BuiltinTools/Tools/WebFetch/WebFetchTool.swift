import Foundation
import ToolhostCore

/// `web_fetch`: GET a URL and return its text; HTML becomes plain text by fixed rules (see
/// ``HTMLText``), other text types are returned as is, binary types are refused.
struct WebFetchTool: BuiltinTool {
    let name = "web_fetch"

    func run(_ input: JSONValue, in context: ToolContext) async throws(ToolFailure) -> JSONValue {
        let fields = try NetworkToolInput(input)
        let url = try fields.requiredString("url")
        let format = try fields.string("format", default: "text", oneOf: ["text", "raw"])
        let maxBytes = try fields.int("maxBytes", default: 2_097_152, in: 1...10_485_760)
        let timeoutMs = try fields.int("timeoutMs", default: 15_000, in: 100...60_000)
        let followRedirects = try fields.bool("followRedirects", default: true)

        var request = WebRequest(url: url, timeoutMs: timeoutMs)
        request.headers = [("Accept", "text/html,application/xhtml+xml,text/*;q=0.9,application/json;q=0.9,*/*;q=0.5")]
        request.truncateAfter = maxBytes
        request.maxRedirects = followRedirects ? 5 : 0
        // Refuse a binary type from its header, before its body is downloaded.
        request.acceptHead = { head in
            let mediaType = WebTextDecoding.mediaType(head.header("content-type"))
            guard let mediaType, WebTextDecoding.kind(mediaType: mediaType, body: Data()) == .binary else { return nil }
            return WebFetchTool.binaryRefusal(url: url, type: mediaType)
        }
        let response = try await WebClient(policy: context.configuration.network).send(request)

        let contentType = response.head.header("content-type")
        let mediaType = WebTextDecoding.mediaType(contentType)
        let kind = WebTextDecoding.kind(mediaType: mediaType, body: response.body)
        guard kind != .binary else { throw WebFetchTool.binaryRefusal(url: url, type: mediaType ?? "(none, and the body is not text)") }
        let charset = WebTextDecoding.charset(ofContentType: contentType) ?? (kind == .html ? WebTextDecoding.metaCharset(in: response.body) : nil)
        let isUTF8 = charset == nil || ["utf-8", "utf8"].contains(charset ?? "")
        let body = response.truncated && isUTF8 ? WebTextDecoding.droppingCutUTF8Sequence(response.body) : response.body
        let decoded = WebTextDecoding.decode(body, charset: charset)

        var title: JSONValue = .null
        var text = decoded
        if kind == .html {
            let converted = HTMLText(html: decoded)
            title = converted.title.map(JSONValue.string) ?? .null
            if format == "text" { text = converted.text }
        }
        return [
            "status": .int(response.status),
            "finalUrl": .string(response.finalURL),
            "contentType": .string(contentType ?? ""),
            "title": title,
            "text": .string(text),
            "bytes": .int(response.body.count),
            "truncated": .bool(response.truncated),
        ]
    }

    private static func binaryRefusal(url: String, type: String) -> ToolFailure {
        ToolFailure(.invalidArgument,
                    "url: \(URLTarget.abbreviated(url)) is \(type), not text; web_fetch returns text only (http_request returns binary as base64)")
    }
}
