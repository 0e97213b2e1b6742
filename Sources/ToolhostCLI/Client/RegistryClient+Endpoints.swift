import Foundation
import Registry
import ToolhostCore

/// The registry's routes as the CLI uses them.
extension RegistryClient {
    /// One page of `GET /api/v1/tools`.
    struct ToolPage: Decodable {
        var tools: [ToolSummary]
        var nextCursor: String?
    }

    /// Searches tools, following the server's cursors until `limit` tools (or every match, when nil) are in.
    /// - Throws: ``RegistryClientError``.
    func searchTools(_ filters: [URLQueryItem], limit: Int?) async throws(RegistryClientError) -> [ToolSummary] {
        var tools: [ToolSummary] = []
        var cursor: String?
        repeat {
            let wanted = limit.map { $0 - tools.count } ?? pageSize
            var query = filters + [URLQueryItem(name: "limit", value: String(min(wanted, pageSize)))]
            if let cursor { query.append(URLQueryItem(name: "cursor", value: cursor)) }
            let page: ToolPage = try await get(["tools"], query: query)
            tools += page.tools
            cursor = page.nextCursor
        } while cursor != nil && tools.count < (limit ?? .max)
        return tools
    }

    /// `GET /api/v1/tools/{name}`: a tool's latest version, or `version`.
    /// - Throws: ``RegistryClientError`` (`not_found` also for another tenant's private tool).
    func tool(named name: String, version: SemanticVersion?) async throws(RegistryClientError) -> ToolDetail {
        let segments = name.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        return try await get(["tools"] + segments, query: version.map { [URLQueryItem(name: "version", value: $0.description)] } ?? [])
    }

    /// The request body of `POST /api/v1/keys`.
    struct NewKey: Encodable {
        var tenant: String?
        var name: String?
        var maxPrivilege: Int
        var scopes: [String]
    }

    /// `POST /api/v1/keys`: a new API key; the answer holds its secret, which the server never shows again.
    /// - Throws: ``RegistryClientError``.
    func createKey(_ key: NewKey) async throws(RegistryClientError) -> JSONValue {
        try await post(["keys"], json: key)
    }

    /// `POST /api/v1/namespaces/{namespace}/signing-keys`: registers a publisher's public key.
    /// - Throws: ``RegistryClientError``.
    func registerSigningKey(_ publicKey: PackagePublicKey, namespace: String) async throws(RegistryClientError) -> JSONValue {
        try await post(["namespaces", namespace, "signing-keys"], json: ["publicKey": publicKey.base64])
    }

    /// `POST /api/v1/packages`: uploads an archive with its sha256 and, when signed, its signature.
    /// A nil visibility lets the server keep the package's stored one (public for a new package).
    /// - Throws: ``RegistryClientError``.
    func publish(archive: Data, digest: PackageDigest, signature: Data?, visibility: Visibility?) async throws(RegistryClientError) -> JSONValue {
        var headers = ["Content-Type": "application/gzip", "X-Toolhost-Checksum": digest.hex]
        if let signature { headers["X-Toolhost-Signature"] = signature.base64EncodedString() }
        let request = Request(
            method: "POST", path: ["packages"], query: visibility.map { [URLQueryItem(name: "visibility", value: $0.rawValue)] } ?? [],
            headers: headers, body: archive)
        return try await send(request)
    }
}
