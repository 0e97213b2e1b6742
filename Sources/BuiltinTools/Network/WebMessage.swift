import Foundation

/// An HTTP request a network tool makes through ``WebClient``.
struct WebRequest: Sendable {
    var method = "GET"
    var url: String
    /// The input field the URL came from, for messages (`url`, `the SLACK_WEBHOOK_URL secret`).
    var urlField = "url"
    /// Headers in order; a name may repeat. Host, Content-Length, Transfer-Encoding and Connection
    /// belong to curl.
    var headers: [(name: String, value: String)] = []
    var body: Data?
    /// The limit for the whole exchange, redirects included.
    var timeoutMs: Int
    /// How the limit is named in a timeout message: `timeoutMs`, `the tool's time limit`.
    var timeoutField = "timeoutMs"
    /// Redirects to follow (301, 302, 303, 307, 308); 0 returns the redirect itself.
    var maxRedirects = 5
    /// Keep this many bytes of the body and report `truncated` when there is more; nil keeps
    /// everything up to the host's ``NetworkPolicy/maximumResponseBytes``, beyond which the call fails.
    var truncateAfter: Int?
    /// Ask for compressed responses and decompress them (`Accept-Encoding` from curl).
    var decompress = true
    /// Show only `scheme://host:port` of URLs in messages, for URLs that are secrets.
    var hidesURL = false
    /// Looks at the final response's status and headers before its body is read, and may refuse it
    /// (web_fetch refuses binary content types without downloading them).
    var acceptHead: (@Sendable (WebResponseHead) -> ToolFailure?)?

    init(method: String = "GET", url: String, timeoutMs: Int) {
        self.method = method
        self.url = url
        self.timeoutMs = timeoutMs
    }
}

/// The status line and headers of a response.
struct WebResponseHead: Sendable {
    var status: Int
    /// Header fields in the order received, names as sent.
    var headers: [(name: String, value: String)]

    /// The value of the first field called `name` (case-insensitive).
    func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// The final response of a ``WebRequest``, after redirects.
struct WebResponse: Sendable {
    var head: WebResponseHead
    var status: Int { head.status }
    var body: Data
    /// The body had more than ``WebRequest/truncateAfter`` bytes.
    var truncated: Bool
    /// The URL of the final response, in curl's normalised form.
    var finalURL: String
    /// From sending the first request to the end of the last response.
    var duration: Duration
}
