/// A destination pattern as `allowedHosts` and a manifest's `network.egress` write them: `*` (any
/// host), a host name or IP address, or `*.example.com` (subdomains only, not `example.com`),
/// each optionally followed by `:port`.
struct HostPattern: Sendable, Hashable, CustomStringConvertible {
    enum Host: Sendable, Hashable {
        case any
        case exact(String)
        /// The suffix with its leading dot (`.example.com`).
        case subdomains(of: String)
    }

    let host: Host
    let port: Int?
    let description: String

    /// Nil when `text` is not a pattern (an empty host, a port that is not a number).
    init?(_ text: String) {
        description = text
        let lower = text.lowercased()
        var hostPart = Substring(lower)
        var portPart: Substring?
        if lower.hasPrefix("[") {
            guard let close = lower.firstIndex(of: "]") else { return nil }
            hostPart = lower[lower.index(after: lower.startIndex)..<close]
            let rest = lower[lower.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { return nil }
                portPart = rest.dropFirst()
            }
        } else if lower.filter({ $0 == ":" }).count == 1, let colon = lower.firstIndex(of: ":") {
            hostPart = lower[..<colon]
            portPart = lower[lower.index(after: colon)...]
        }
        if let portPart {
            guard portPart.allSatisfy(\.isASCII), let number = Int(portPart), (1...65535).contains(number) else { return nil }
            port = number
        } else {
            port = nil
        }
        let host = HostPattern.normalized(String(hostPart))
        guard !host.isEmpty, hostPart != "*." else { return nil }
        if host == "*" {
            self.host = .any
        } else if host.hasPrefix("*.") {
            let suffix = String(host.dropFirst())
            guard suffix.count > 1 else { return nil }
            self.host = .subdomains(of: suffix)
        } else {
            self.host = .exact(host)
        }
    }

    /// Whether a connection to `host` (a name or an address, without brackets) on `port` matches.
    func matches(host candidate: String, port candidatePort: Int) -> Bool {
        if let port, port != candidatePort { return false }
        let name = HostPattern.normalized(candidate)
        switch host {
        case .any: return true
        case .exact(let expected): return name == expected
        case .subdomains(let suffix): return name.hasSuffix(suffix) && name.count > suffix.count
        }
    }

    /// Lower case, without the root's trailing dot (`Example.COM.` is `example.com`).
    static func normalized(_ host: String) -> String {
        let lower = host.lowercased()
        return lower.hasSuffix(".") && lower.count > 1 ? String(lower.dropLast()) : lower
    }
}
