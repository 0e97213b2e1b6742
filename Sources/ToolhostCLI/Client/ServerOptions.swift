import ArgumentParser
import Foundation

/// Which registry server a command talks to and with which API key: `--server` (else
/// `$TOOLHOST_SERVER`), `--key` (else `$TOOLHOST_KEY`, else the admin key of a local server's data
/// directory), `--timeout`.
struct ServerOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The registry server (default: $TOOLHOST_SERVER; else keys and publish use \(defaultServer), tools the local data directory).",
            valueName: "url"))
    var server: String?

    @Option(help: "The API key (default: $TOOLHOST_KEY; for a server on this machine, <data-dir>/admin.key when it exists).")
    var key: String?

    @Option(help: "How long to wait for the server before giving up (e.g. 30s, 2m).")
    var timeout: Duration?

    func validate() throws {
        if let server { _ = try Self.parse(server) }
    }

    /// Where `make run` starts the server; the registry commands use it when no server is named.
    static let defaultServer = "http://127.0.0.1:8080"

    /// The server named by `--server` or `$TOOLHOST_SERVER`, or nil when neither is set.
    /// - Throws: `ValidationError` (a usage error) when the text is not an http(s) URL with a host.
    func namedServer(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> URL? {
        guard let text = server ?? environment["TOOLHOST_SERVER"].flatMap({ $0.isEmpty ? nil : $0 }) else { return nil }
        return try Self.parse(text)
    }

    /// A client for the named server, or nil when none is named (the command then works locally).
    /// - Throws: `ValidationError` for a malformed server URL.
    func client(dataDirectory: URL) throws -> RegistryClient? {
        try namedServer().map { client(for: $0, dataDirectory: dataDirectory) }
    }

    /// A client for the named server, or for ``defaultServer`` when none is named.
    /// - Throws: `ValidationError` for a malformed server URL.
    func requiredClient(dataDirectory: URL) throws -> RegistryClient {
        client(for: try namedServer() ?? Self.parse(Self.defaultServer), dataDirectory: dataDirectory)
    }

    private func client(for url: URL, dataDirectory: URL) -> RegistryClient {
        var client = RegistryClient(server: url, key: resolvedKey(for: url, dataDirectory: dataDirectory))
        if let timeout { client.timeout = TimeInterval(timeout.milliseconds) / 1000 }
        return client
    }

    /// `--key`, else `$TOOLHOST_KEY`, else — for a server on a loopback address only, whose data
    /// directory is this machine's — the admin key the server wrote there on first start.
    func resolvedKey(for url: URL, dataDirectory: URL, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let key, !key.isEmpty { return key }
        if let key = environment["TOOLHOST_KEY"], !key.isEmpty { return key }
        guard Self.isLoopback(url) else { return nil }
        let file = dataDirectory.appendingPathComponent("admin.key")
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return nil }
        let secret = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return secret.isEmpty ? nil : secret
    }

    static func isLoopback(_ url: URL) -> Bool {
        guard let host = url.host?.lowercased() else { return false }
        return ["localhost", "127.0.0.1", "::1", "[::1]"].contains(host) || host.hasPrefix("127.")
    }

    static func parse(_ text: String) throws -> URL {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = url.host, !host.isEmpty
        else {
            throw ValidationError("--server \(text): expected an http:// or https:// URL such as \(defaultServer)")
        }
        return url
    }
}
