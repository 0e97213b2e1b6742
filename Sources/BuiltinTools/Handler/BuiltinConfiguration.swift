import Foundation

/// Host settings the built-in tools need, with safe defaults: no private addresses, no SMTP server,
/// no search endpoint.
///
/// ```swift
/// var configuration = BuiltinConfiguration()
/// configuration.network.allowLoopback = true          // tests talk to peers on 127.0.0.1
/// configuration.smtp = SMTPSettings(host: "127.0.0.1", port: 2525, sender: "toolhost@example.test")
/// ```
public struct BuiltinConfiguration: Sendable, Hashable {
    /// Rules for every outbound connection a built-in makes.
    public var network = NetworkPolicy()
    /// The SMTP server `email_send` uses (`${SMTP_HOST}` in its manifest); nil when not configured.
    public var smtp: SMTPSettings?
    /// The SearxNG-style JSON endpoint `web_search` queries (`GET {base}/search?q=…&format=json`).
    public var searchEndpoint: URL?

    public init() {}
}

/// Which hosts and addresses the network tools may reach.
///
/// Hosts must be allowed by ``allowedHosts``; on top of that, every address a name resolves to (and
/// every address actually connected to, redirects included) is checked: private, loopback,
/// link-local, metadata, multicast and reserved addresses are refused unless allowed here.
public struct NetworkPolicy: Sendable, Hashable {
    /// Host names (or `*.example.com` suffix patterns) that may be contacted; `["*"]`, the default,
    /// means any host whose addresses are public.
    public var allowedHosts: [String] = ["*"]
    /// Allow loopback addresses (127.0.0.0/8, ::1): for tests and for peers on the same machine.
    public var allowLoopback = false
    /// Further addresses or CIDR blocks that are allowed although private (`10.1.2.0/24`).
    public var allowedAddresses: [String] = []
    /// Refuse response bodies larger than this many bytes unless a tool sets a smaller cap.
    public var maximumResponseBytes = 10 << 20
    /// Destinations every built-in may reach besides those its manifest declares in
    /// `network.egress`, in the same syntax (`127.0.0.1:8025`, `*.corp.example`): a company relay in
    /// front of Slack, or the test harness's fixture server. The other rules still apply.
    public var additionalEgress: [String] = []

    public init() {}
}

/// How to reach the SMTP server for `email_send`.
public struct SMTPSettings: Sendable, Hashable {
    public var host: String
    public var port: Int
    /// Log in with this user (and the `SMTP_PASSWORD` secret); nil for no authentication.
    public var username: String?
    /// The envelope sender and `From:` address.
    public var sender: String
    /// `starttls` requires STARTTLS, `tls` connects with TLS (port 465), `none` is plain text (loopback peers).
    public var security: Security

    public enum Security: String, Sendable, Hashable, Codable {
        case none, starttls, tls
    }

    public init(host: String, port: Int = 587, username: String? = nil, sender: String, security: Security = .starttls) {
        self.host = host
        self.port = port
        self.username = username
        self.sender = sender
        self.security = security
    }
}
