import Foundation
import ToolhostCore

/// `web_search`: queries the operator's SearxNG-compatible endpoint
/// (`GET {endpoint}/search?q=…&format=json`) and maps its results to title, URL and snippet.
struct WebSearchTool: BuiltinTool {
    let name = "web_search"

    static let categories: Set<String> = ["general", "news", "science", "it", "images", "videos", "files", "music", "social media", "map"]

    func run(_ input: JSONValue, in context: ToolContext) async throws(ToolFailure) -> JSONValue {
        let fields = try NetworkToolInput(input)
        let query = try fields.requiredString("query")
        guard !query.isEmpty else { throw ToolFailure(.invalidArgument, "query: must not be empty") }
        let maxResults = try fields.int("maxResults", default: 10, in: 1...50)
        let timeoutMs = try fields.int("timeoutMs", default: 10_000, in: 100...30_000)
        guard let endpoint = context.configuration.searchEndpoint else {
            throw ToolFailure(.notConfigured,
                              "web_search needs a search endpoint: the host's searchEndpoint (a SearxNG-compatible base URL) is not configured")
        }

        var parameters = [("q", query), ("format", "json")]
        if let language = try fields.string("language") { parameters.append(("language", language)) }
        if let range = try fields.string("timeRange") {
            guard ["day", "week", "month", "year"].contains(range) else {
                throw ToolFailure(.invalidArgument, "timeRange: \"\(range)\" is not one of day, week, month, year")
            }
            parameters.append(("time_range", range))
        }
        let categories = try fields.strings("categories")
        if let unknown = categories.first(where: { !Self.categories.contains($0) }) {
            throw ToolFailure(.invalidArgument, "categories: \"\(unknown)\" is not a SearxNG category")
        }
        if !categories.isEmpty { parameters.append(("categories", categories.joined(separator: ","))) }
        let safeSearch = try fields.int("safeSearch", default: 1, in: 0...2)
        parameters.append(("safesearch", String(safeSearch)))

        var base = endpoint.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        let queryString = parameters.map { "\($0.0)=\(Self.percentEncoded($0.1))" }.joined(separator: "&")
        var request = WebRequest(url: "\(base)/search?\(queryString)", timeoutMs: timeoutMs)
        request.urlField = "searchEndpoint"
        request.headers = [("Accept", "application/json")]
        let response = try await WebClient(policy: context.configuration.network).send(request)

        guard response.status == 200 else {
            let hint = response.status == 403 ? " (SearxNG answers 403 when the json format is not enabled in its settings: search.formats)" : ""
            let detail = String(decoding: response.body.prefix(200), as: UTF8.self)
            throw ToolFailure(.upstream, "the search endpoint \(base) answered \(response.status)\(hint): \(detail)")
        }
        let document: JSONValue
        do {
            document = try JSONValue(parsing: response.body)
        } catch {
            throw ToolFailure(.upstream, "the search endpoint \(base) did not answer with JSON: \(error)")
        }
        guard let results = document["results"]?.arrayValue else {
            throw ToolFailure(.upstream, "the search endpoint \(base) answered without a results array")
        }
        return ["query": .string(query), "results": .array(Self.mapped(results, limit: maxResults))]
    }

    /// SearxNG results as title, url, snippet (from `content`) and publishedDate when given; results
    /// without a URL are skipped.
    static func mapped(_ results: [JSONValue], limit: Int) -> [JSONValue] {
        var mapped: [JSONValue] = []
        for result in results where mapped.count < limit {
            guard let url = result["url"]?.stringValue, !url.isEmpty else { continue }
            var item: [String: JSONValue] = [
                "title": .string(result["title"]?.stringValue ?? ""),
                "url": .string(url),
                "snippet": .string(result["content"]?.stringValue ?? ""),
            ]
            if let published = result["publishedDate"]?.stringValue, !published.isEmpty {
                item["publishedDate"] = .string(published)
            }
            mapped.append(.object(item))
        }
        return mapped
    }

    /// RFC 3986 percent-encoding of everything but the unreserved characters.
    static func percentEncoded(_ text: String) -> String {
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}
