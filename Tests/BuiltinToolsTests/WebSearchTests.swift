@testable import BuiltinTools
import Foundation
import TestSupport
import Testing
import ToolhostCore

@Suite("web_search queries the configured SearxNG endpoint")
struct WebSearchTests {
    let tool = WebSearchTool()

    @Test("every manifest example holds")
    func examples() async throws {
        let failures = try await ExampleHarness().failures(of: "web_search")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    @Test("without a configured endpoint the call fails with not_configured")
    func notConfigured() async throws {
        await NetworkTest.expectFailure(of: tool, ["query": "swift"], in: try NetworkTest.context(),
                                        kind: .notConfigured, mentioning: ["searchEndpoint"])
    }

    @Test("maxResults limits the results, in the endpoint's order")
    func maxResults() async throws {
        try await FixtureServer.serving("web_search") { server in
            let context = try NetworkTest.loopbackContext { $0.searchEndpoint = URL(string: server.url + "/") }
            let output = try await tool.run(["query": "anything", "maxResults": 1], in: context)
            #expect(output["results"]?.arrayValue?.count == 1)
            #expect(output["results"]?[0]?["url"] == "https://www.swift.org/documentation/concurrency/")
            let all = try await tool.run(["query": "anything"], in: context)
            #expect(all["results"]?[2]?["snippet"] == "", "a result without content has an empty snippet")
        }
    }

    @Test("the query and the options are sent as SearxNG parameters, percent-encoded")
    func parameters() async throws {
        try await FixtureServer.serving("web_search") { server in
            // An endpoint with a path is not the fixture's /search, so the server records the request (and answers `ok`).
            let context = try NetworkTest.loopbackContext { $0.searchEndpoint = URL(string: server.url + "/searx") }
            await NetworkTest.expectFailure(of: tool, [
                "query": "\"swift actors\" site:swift.org & more", "language": "de-CH", "timeRange": "week",
                "categories": ["news", "it"], "safeSearch": 2,
            ], in: context, kind: .upstream, mentioning: ["\(server.url)/searx", "JSON"])
            let target = try #require(server.recorded.first?.target)
            #expect(target == "/searx/search?q=%22swift%20actors%22%20site%3Aswift.org%20%26%20more&format=json&language=de-CH"
                + "&time_range=week&categories=news%2Cit&safesearch=2")
        }
    }

    @Test("an endpoint answering an error status fails with upstream_error naming the status")
    func endpointError() async throws {
        try await FixtureServer.serving("web_search") { server in
            let context = try NetworkTest.loopbackContext { $0.searchEndpoint = URL(string: server.url + "/__test/status/403") }
            await NetworkTest.expectFailure(of: tool, ["query": "swift"], in: context, kind: .upstream,
                                            mentioning: ["403", "search.formats"])
        }
    }

    @Test("the endpoint is subject to the network rules like any other host")
    func endpointGuarded() async throws {
        try await FixtureServer.serving("web_search") { server in
            let context = try NetworkTest.context { $0.searchEndpoint = URL(string: server.url) }
            await NetworkTest.expectFailure(of: tool, ["query": "swift"], in: context, kind: .denied, mentioning: ["searchEndpoint", "loopback"])
        }
    }

    @Test("results map title, url, content and publishedDate, skipping those without a URL")
    func mapping() {
        let results: [JSONValue] = [
            ["title": "No URL", "content": "skipped"],
            ["title": "A", "url": "https://a.example/", "content": "alpha", "publishedDate": "2024-01-02"],
            ["url": "https://b.example/", "publishedDate": .null],
        ]
        #expect(WebSearchTool.mapped(results, limit: 10) == [
            ["title": "A", "url": "https://a.example/", "snippet": "alpha", "publishedDate": "2024-01-02"],
            ["title": "", "url": "https://b.example/", "snippet": ""],
        ])
    }
}
