import Foundation
import ToolhostCore

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Talks to a Toolhost registry server over HTTP: one request, one decoded JSON answer or one
/// ``RegistryClientError``.
///
/// ```swift
/// let client = RegistryClient(server: URL(string: "http://127.0.0.1:8080")!, key: secret)
/// let page: ToolPage = try await client.get(["tools"], query: [URLQueryItem(name: "q", value: "word")])
/// ```
struct RegistryClient: Sendable {
    /// The server's base URL, e.g. `http://127.0.0.1:8080`; API paths go under `/api/v1`.
    var server: URL
    /// The API key sent as `Authorization: Bearer`, or nil to send none.
    var key: String?
    /// How long a request may wait for the server before it is given up as unreachable.
    var timeout: TimeInterval = 30
    /// Tools asked for per page when following cursors; the server gives out at most 200.
    var pageSize = 200

    /// A request under `/api/v1`.
    struct Request: Sendable {
        var method = "GET"
        /// Path segments after `/api/v1`, each percent-encoded on its own (`["tools", "acme", "word-count", "count"]`).
        var path: [String]
        var query: [URLQueryItem] = []
        var headers: [String: String] = [:]
        var body: Data?
    }

    /// Sends a request with a JSON body and decodes the JSON answer.
    /// - Throws: ``RegistryClientError``: `server_unreachable`, the server's own error, or `bad_response`.
    func post<Body: Encodable, Answer: Decodable>(
        _ path: [String], json body: Body, as type: Answer.Type = Answer.self
    ) async throws(RegistryClientError) -> Answer {
        let data: Data
        do { data = try JSONEncoder().encode(body) } catch {
            throw RegistryClientError(.internalError, "cannot encode the request body: \(error)", url: url(for: path, query: []))
        }
        return try await send(Request(method: "POST", path: path, headers: ["Content-Type": "application/json"], body: data), as: type)
    }

    /// Sends a GET and decodes the JSON answer.
    /// - Throws: ``RegistryClientError``, as ``send(_:as:)``.
    func get<Answer: Decodable>(
        _ path: [String], query: [URLQueryItem] = [], as type: Answer.Type = Answer.self
    ) async throws(RegistryClientError) -> Answer {
        try await send(Request(path: path, query: query), as: type)
    }

    /// Sends `request` and decodes a 2xx answer as `Answer`.
    /// - Throws: ``RegistryClientError``: `server_unreachable` (no connection, or no answer within
    ///   ``timeout``), the server's `{"error": …}` with its HTTP status, or `bad_response` when the
    ///   answer is not the JSON expected.
    func send<Answer: Decodable>(_ request: Request, as type: Answer.Type = Answer.self) async throws(RegistryClientError) -> Answer {
        let url = url(for: request.path, query: request.query)
        let (data, status) = try await perform(request, url: url)
        guard (200..<300).contains(status) else {
            var error = RegistryClientError(status: status, body: data, url: url)
            if status == 401, key == nil { error.message += " (no API key was sent: pass --key KEY or set TOOLHOST_KEY)" }
            throw error
        }
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try decoder.decode(Answer.self, from: data)
        } catch {
            throw RegistryClientError(.badResponse, "the answer of \(url.absoluteString) is not what this client expects: \(error)", url: url)
        }
    }

    /// The full URL of an API path: each segment percent-encoded, so that a name cannot add segments.
    func url(for path: [String], query: [URLQueryItem]) -> URL {
        var components = URLComponents(url: server, resolvingAgainstBaseURL: false) ?? URLComponents()
        let base = components.percentEncodedPath.hasSuffix("/") ? String(components.percentEncodedPath.dropLast()) : components.percentEncodedPath
        let segments = (["api", "v1"] + path).map { $0.addingPercentEncoding(withAllowedCharacters: Self.segmentCharacters) ?? $0 }
        components.percentEncodedPath = base + "/" + segments.joined(separator: "/")
        components.queryItems = query.isEmpty ? nil : query
        // Foundation leaves `+` alone in queries; servers read it as a space.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return components.url ?? server
    }

    private static let segmentCharacters = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/;?#"))

    private func perform(_ request: Request, url: URL) async throws(RegistryClientError) -> (Data, Int) {
        var urlRequest = URLRequest(url: url, timeoutInterval: timeout)
        urlRequest.httpMethod = request.method
        urlRequest.httpBody = request.body
        urlRequest.setValue("application/json", forHTTPHeaderField: "Accept")
        if let key { urlRequest.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        do {
            let (data, response) = try await session.data(for: urlRequest)
            guard let http = response as? HTTPURLResponse else {
                throw RegistryClientError(.badResponse, "\(url.absoluteString) did not answer with HTTP", url: url)
            }
            return (data, http.statusCode)
        } catch let error as RegistryClientError {
            throw error
        } catch let error as URLError where error.code == .timedOut {
            throw RegistryClientError(
                .serverUnreachable,
                "\(server.absoluteString) did not answer within \(Self.seconds(timeout)) (\(request.method) \(url.path)); --timeout waits longer",
                url: url)
        } catch {
            throw RegistryClientError(
                .serverUnreachable,
                "cannot reach the server at \(server.absoluteString) (\(request.method) \(url.path)): \(error.localizedDescription); "
                    + "is `toolhost serve` running there? (--server or TOOLHOST_SERVER)",
                url: url)
        }
    }

    private static func seconds(_ interval: TimeInterval) -> String {
        interval == interval.rounded() ? "\(Int(interval)) s" : String(format: "%.1f s", interval)
    }
}
