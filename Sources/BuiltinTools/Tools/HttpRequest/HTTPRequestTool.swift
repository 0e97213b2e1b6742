import Foundation
import ToolhostCore

/// `http_request`: any method, headers and body; the status, headers and body come back as the
/// result, 4xx and 5xx included.
struct HTTPRequestTool: BuiltinTool {
    let name = "http_request"

    static let methods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    /// Headers that curl derives from the request itself; a caller's value would contradict it.
    static let reservedHeaders: Set<String> = ["host", "content-length", "transfer-encoding", "connection"]

    func run(_ input: JSONValue, in context: ToolContext) async throws(ToolFailure) -> JSONValue {
        let fields = try NetworkToolInput(input)
        let method = try fields.string("method", default: "GET", oneOf: Self.methods)
        var request = WebRequest(method: method, url: try fields.requiredString("url"),
                                 timeoutMs: try fields.int("timeoutMs", default: 30_000, in: 100...120_000))
        request.headers = try Self.headers(input["headers"])
        request.body = try Self.body(fields, headers: &request.headers)
        if method == "HEAD" && request.body != nil {
            throw ToolFailure(.invalidArgument, "\(fields.has("json") ? "json" : "body"): a HEAD request has no body")
        }
        request.truncateAfter = try fields.int("maxResponseBytes", default: 1_048_576, in: 0...10_485_760)
        request.maxRedirects = try fields.bool("followRedirects", default: true) ? 5 : 0
        let response = try await WebClient(policy: context.configuration.network).send(request)

        var body = response.body
        if response.truncated && String(validating: body, as: UTF8.self) == nil {
            body = WebTextDecoding.droppingCutUTF8Sequence(body)
        }
        let text = String(validating: body, as: UTF8.self)
        return [
            "status": .int(response.status),
            "headers": .object(Self.responseHeaders(response.head.headers)),
            "body": .string(text ?? response.body.base64EncodedString()),
            "bodyEncoding": .string(text == nil ? "base64" : "utf8"),
            "truncated": .bool(response.truncated),
            "finalUrl": .string(response.finalURL),
            "durationMs": .double((response.duration / .microseconds(1)).rounded() / 1000),
        ]
    }

    /// The request headers, sorted by name; reserved names, malformed names and line breaks are refused.
    static func headers(_ value: JSONValue?) throws(ToolFailure) -> [(name: String, value: String)] {
        guard let value else { return [] }
        guard let object = value.objectValue else { throw ToolFailure(.invalidArgument, "headers: expected an object, got \(value.typeName)") }
        let token = CharacterSet(charactersIn: "!#$%&'*+.^_`|~-").union(CharacterSet(charactersIn: "0"..."9"))
            .union(CharacterSet(charactersIn: "a"..."z")).union(CharacterSet(charactersIn: "A"..."Z"))
        var headers: [(name: String, value: String)] = []
        for (name, value) in object.sorted(by: { $0.key < $1.key }) {
            guard !name.isEmpty, name.unicodeScalars.allSatisfy(token.contains) else {
                throw ToolFailure(.invalidArgument, "headers: \"\(name)\" is not a valid header name")
            }
            guard !reservedHeaders.contains(name.lowercased()) else {
                throw ToolFailure(.invalidArgument, "headers.\(name): set by the tool from the request, not allowed here")
            }
            guard let text = value.stringValue else {
                throw ToolFailure(.invalidArgument, "headers.\(name): expected a string, got \(value.typeName)")
            }
            guard !text.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) else {
                throw ToolFailure(.invalidArgument, "headers.\(name): a header value cannot contain line breaks")
            }
            headers.append((name, text))
        }
        return headers
    }

    /// The body from `body` (utf8 or base64) or `json`, adding `Content-Type: application/json` for
    /// `json` unless the caller set a type.
    static func body(_ fields: NetworkToolInput, headers: inout [(name: String, value: String)]) throws(ToolFailure) -> Data? {
        let text = try fields.string("body")
        let json = fields.input["json"]
        let encoding = try fields.string("bodyEncoding", default: "utf8", oneOf: ["utf8", "base64"])
        switch (text, json) {
        case (.some, .some):
            throw ToolFailure(.invalidArgument, "body and json: give at most one of them")
        case (.some(let text), nil):
            guard encoding == "base64" else { return Data(text.utf8) }
            guard let data = NetworkToolInput.base64(text) else {
                throw ToolFailure(.invalidArgument, "body: not valid base64 (bodyEncoding is base64)")
            }
            return data
        case (nil, .some(let json)):
            if !headers.contains(where: { $0.name.caseInsensitiveCompare("Content-Type") == .orderedSame }) {
                headers.append(("Content-Type", "application/json"))
            }
            return Data(json.serialized().utf8)
        case (nil, nil):
            return nil
        }
    }

    /// Names in lower case; repeated fields joined with `, `, Set-Cookie with a line break (its
    /// values may contain commas).
    static func responseHeaders(_ fields: [(name: String, value: String)]) -> [String: JSONValue] {
        var joined: [String: String] = [:]
        for field in fields {
            let name = field.name.lowercased()
            if let existing = joined[name] {
                joined[name] = existing + (name == "set-cookie" ? "\n" : ", ") + field.value
            } else {
                joined[name] = field.value
            }
        }
        return joined.mapValues(JSONValue.string)
    }
}
