import CCurl

/// A URL as libcurl parses it: the same parser decides what is checked and what is fetched, so
/// spellings such as `http://2130706433/` or `http://0x7f.1/` are judged as the address curl
/// would connect to (127.0.0.1), not as the text.
struct URLTarget: Sendable, Hashable {
    /// The URL in curl's normalised form, which is what the request uses.
    let url: String
    /// Lower case: `http`, `https`, `smtp`…
    let scheme: String
    /// The host name or address, lower case, IPv6 without brackets.
    let host: String
    /// The port, or the scheme's default.
    let port: Int
    /// The host as an address, when the URL names one.
    var address: IPAddress? { IPAddress(host) }

    /// Parses `text`.
    /// - Parameters:
    ///   - field: the input field that holds the URL, for messages.
    ///   - schemes: the schemes allowed; others are refused with `denied`.
    ///   - isSecret: the URL is a secret (a webhook's path is its key): messages leave it out.
    /// - Throws: ``ToolFailure`` `invalid_argument` naming `field` when `text` is not an absolute URL or
    ///   carries credentials, `denied` for a scheme outside `schemes`.
    init(_ text: String, field: String, schemes: Set<String> = ["http", "https"], isSecret: Bool = false) throws(ToolFailure) {
        let shown = isSecret ? "the URL" : "\"\(URLTarget.abbreviated(text))\""
        guard let handle = curl_url() else { throw ToolFailure(.internalError, "libcurl could not allocate a URL") }
        defer { curl_url_cleanup(handle) }
        // Non-supported schemes are parsed too, so that `gopher:` is refused as a scheme, not as garbage.
        let parsed = curl_url_set(handle, CURLUPART_URL, text, UInt32(CURLU_NON_SUPPORT_SCHEME))
        guard parsed == CURLUE_OK else {
            throw ToolFailure(.invalidArgument, "\(field): \(shown) is not a valid absolute URL (\(String(cString: curl_url_strerror(parsed))))")
        }
        func part(_ which: CURLUPart, _ flags: Int32 = 0) -> String? {
            var value: UnsafeMutablePointer<CChar>?
            guard curl_url_get(handle, which, &value, UInt32(flags)) == CURLUE_OK, let value else { return nil }
            defer { curl_free(value) }
            return String(cString: value)
        }
        let scheme = part(CURLUPART_SCHEME)?.lowercased() ?? ""
        guard schemes.contains(scheme) else {
            let allowed = schemes.sorted().joined(separator: " and ")
            throw ToolFailure(.denied, "\(field): the scheme \"\(scheme)\" is refused; only \(allowed) URLs are allowed")
        }
        guard part(CURLUPART_USER) == nil, part(CURLUPART_PASSWORD) == nil else {
            throw ToolFailure(.invalidArgument, "\(field): credentials in the URL are not allowed (send them in a header)")
        }
        guard var host = part(CURLUPART_HOST), !host.isEmpty else {
            throw ToolFailure(.invalidArgument, "\(field): \(shown) has no host")
        }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if let zone = host.firstIndex(of: "%") { host = String(host[..<zone]) }
        guard let port = part(CURLUPART_PORT, CURLU_DEFAULT_PORT).flatMap(Int.init), let url = part(CURLUPART_URL) else {
            throw ToolFailure(.invalidArgument, "\(field): \(shown) has no usable port")
        }
        self.url = url
        self.scheme = scheme
        self.host = host.lowercased()
        self.port = port
    }

    /// `scheme://host:port`, for messages about URLs that are secret (a webhook's path is its key).
    var origin: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(shownHost):\(port)"
    }

    /// Long URLs are cut in messages.
    static func abbreviated(_ text: String) -> String {
        text.count > 200 ? String(text.prefix(200)) + "…" : text
    }
}
