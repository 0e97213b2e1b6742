import CCurl
import Foundation

/// The method, headers and body of one request of a redirect chain.
struct WebHop: Sendable {
    var method: String
    var headers: [(name: String, value: String)]
    var body: Data?

    /// The request that follows a redirect with `status`: a 303, or a 301/302 after POST, goes on
    /// as GET without body (as browsers do); 307 and 308 repeat the request. Credentials are not
    /// sent to another origin.
    func redirected(status: Int, from source: URLTarget, to target: URLTarget) -> WebHop {
        var next = self
        if (status == 303 && method != "HEAD") || ((status == 301 || status == 302) && method == "POST") {
            next.method = "GET"
            next.body = nil
            next.headers.removeAll { $0.name.lowercased().hasPrefix("content-") }
        }
        if source.origin != target.origin {
            let credentials: Set<String> = ["authorization", "cookie", "proxy-authorization"]
            next.headers.removeAll { credentials.contains($0.name.lowercased()) }
        }
        return next
    }

    /// Sets the method, headers and body on `easy`.
    func configure(_ easy: CurlEasy, decompress: Bool) throws(ToolFailure) {
        switch method {
        case "GET" where body == nil: try easy.set(CURLOPT_HTTPGET, 1)
        case "HEAD": try easy.set(CURLOPT_NOBODY, 1)
        case "POST": try easy.set(CURLOPT_POST, 1)
        default: try easy.set(CURLOPT_CUSTOMREQUEST, method)
        }
        if let body {
            try easy.set(CURLOPT_POSTFIELDSIZE_LARGE, offset: body.count)
            if body.isEmpty {
                try easy.set(CURLOPT_COPYPOSTFIELDS, "")
            } else {
                let code = body.withUnsafeBytes { raw in
                    toolhost_curl_setopt_pointer(easy.handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress))
                }
                try easy.check(code, CURLOPT_COPYPOSTFIELDS)
            }
        }
        func has(_ name: String) -> Bool { headers.contains { $0.name.caseInsensitiveCompare(name) == .orderedSame } }
        var lines = headers.map { $0.value.isEmpty ? "\($0.name);" : "\($0.name): \($0.value)" }
        // curl labels every body as a form unless told otherwise, and waits a second for
        // `100 Continue` before large bodies; neither is what the caller wrote.
        if body != nil && !has("Content-Type") { lines.append("Content-Type:") }
        if !has("Expect") { lines.append("Expect:") }
        try easy.set(CURLOPT_HTTPHEADER, list: lines)
        try easy.set(CURLOPT_USERAGENT, "Toolhost/1.0")
        if decompress && !has("Accept-Encoding") {
            try easy.set(CURLOPT_ACCEPT_ENCODING, "")
        }
    }
}
