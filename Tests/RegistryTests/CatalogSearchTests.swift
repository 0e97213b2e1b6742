import Foundation
import Registry
import Testing
import ToolhostCore

@Suite("Searching the catalog")
struct CatalogSearchTests {
    let fixture: CatalogFixture
    var catalog: any CatalogStore { fixture.catalog }

    init() async throws { fixture = try await .withBuiltins() }

    /// Every tool's definition, to check filters against what the manifests say rather than against the index.
    func definition(of name: String) async throws -> ToolDefinition { try await catalog.tool(named: name, version: nil).definition }

    func search(_ configure: (inout ToolSearchQuery) -> Void) async throws -> [ToolSummary] {
        var query = ToolSearchQuery()
        query.limit = 1000
        configure(&query)
        return try await catalog.searchTools(query)
    }

    @Test("an exact tool name comes first, ahead of tools that only mention it")
    func exactNameFirst() async throws {
        for name in ["regex", "file_read", "file_search", "json_query", "http_request", "archive"] {
            let results = try await search { $0.text = name }
            #expect(results.first?.name == name, "searching \(name) gave \(results.map(\.name))")
        }
    }

    @Test("words find tools by what they do: \"pdf text\" finds pdf_extract_text first")
    func wordsFindToolsByPurpose() async throws {
        #expect(try await search { $0.text = "pdf text" }.first?.name == "pdf_extract_text")
        #expect(try await search { $0.text = "sha256 checksum" }.map(\.name).contains("hash_digest"))
        #expect(try await search { $0.text = "smtp" }.map(\.name).contains("email_send"))
    }

    @Test("a name prefix ranks the tools it begins first")
    func prefixRanksFirst() async throws {
        let results = try await search { $0.text = "file" }
        let leading = results.prefix(while: { $0.name.hasPrefix("file") }).map(\.name)
        #expect(Set(leading) == ["file_read", "file_search", "file_write"], "got \(results.map(\.name))")
    }

    @Test("text with FTS5 syntax in it is searched as words, never an error")
    func ftsSyntaxIsHarmless() async throws {
        for text in ["\"pdf", "pdf OR (", "NEAR(a b)", "*", "-", "file_read AND", "'; DROP TABLE tool; --"] {
            _ = try await search { $0.text = text }
        }
        #expect(try await search { $0.text = "\"pdf" }.first?.name == "pdf_extract_text")
    }

    @Test("maximum privilege keeps only tools at or below it")
    func maxPrivilegeFilter() async throws {
        for level in PrivilegeLevel.allCases {
            let results = try await search { $0.maxPrivilege = level }
            #expect(results.allSatisfy { $0.privilegeLevel <= level })
        }
        let levelOne = await Set(try search { $0.maxPrivilege = .readOnly }.map(\.name))
        #expect(levelOne.contains("hash_digest"))
        #expect(!levelOne.contains("python_exec"))
        #expect(!levelOne.contains("email_send"))
        #expect(try await search { $0.maxPrivilege = .executeSafe }.count == 21)
    }

    @Test("each annotation filter keeps exactly the tools whose manifests say so")
    func annotationFilters() async throws {
        let all = try await search { _ in }
        let keyPaths: [(WritableKeyPath<ToolSearchQuery, Bool?>, KeyPath<ToolAnnotations, Bool>)] = [
            (\.readOnly, \.isReadOnly), (\.destructive, \.isDestructive), (\.idempotent, \.isIdempotent), (\.openWorld, \.isOpenWorld),
        ]
        for (filter, annotation) in keyPaths {
            for wanted in [true, false] {
                let names = Set(try await search { $0[keyPath: filter] = wanted }.map(\.name))
                var expected: Set<String> = []
                for tool in all where try await definition(of: tool.name).annotations[keyPath: annotation] == wanted { expected.insert(tool.name) }
                #expect(names == expected)
            }
        }
        #expect(try await search { $0.readOnly = true }.map(\.name).contains("file_read"))
        #expect(!(try await search { $0.readOnly = true }.map(\.name).contains("file_write")))
    }

    @Test("filters combine with text: read-only, level ≤ 2, \"pdf text\"")
    func combinedFilters() async throws {
        let results = try await search {
            $0.text = "pdf text"
            $0.maxPrivilege = .executeSafe
            $0.readOnly = true
        }
        #expect(results.first?.name == "pdf_extract_text")
        #expect(results.allSatisfy { $0.annotations.isReadOnly && $0.privilegeLevel <= .executeSafe })
    }

    @Test("capability filters look into the schemas: takes a string `path`, returns `text`")
    func capabilityFilters() async throws {
        let takesPath = try await search { $0.takes = [PropertyRequirement(path: "path", type: "string")] }.map(\.name)
        #expect(takesPath.contains("file_read"))
        #expect(takesPath.contains("file_write"))
        #expect(!takesPath.contains("hash_digest"))
        for name in takesPath {
            let property = try await definition(of: name).inputSchema["properties"]?["path"]
            #expect(property != nil, "\(name) was found but its input has no `path`")
        }
        let returnsText = try await search { $0.returns = [PropertyRequirement(path: "text")] }.map(\.name)
        #expect(returnsText.contains("pdf_extract_text"))
        #expect(!returnsText.contains("hash_digest"))
        for name in returnsText {
            #expect(try await definition(of: name).outputSchema["properties"]?["text"] != nil)
        }
    }

    @Test("a capability type must match: no tool takes a boolean `path`; `number` admits integers")
    func capabilityTypes() async throws {
        #expect(try await search { $0.takes = [PropertyRequirement(path: "path", type: "boolean")] }.isEmpty)
        let fixture = try CatalogFixture()
        try await fixture.catalog.insertVersion(SampleManifest.make())
        var query = ToolSearchQuery()
        query.returns = [PropertyRequirement(path: "words", type: "number")]
        #expect(try await fixture.catalog.searchTools(query).map(\.name) == ["acme/word-count/count"])
        query.returns = [PropertyRequirement(path: "words", type: "string")]
        #expect(try await fixture.catalog.searchTools(query).isEmpty)
    }

    @Test("capability filters reach nested properties and array items")
    func nestedCapabilities() async throws {
        let requirement = try PropertyRequirement(parsing: "results[].url:string")
        let results = try await search { $0.returns = [requirement] }.map(\.name)
        #expect(results.contains("web_search"))
    }

    @Test("a bad capability filter or limit is refused with what was wrong")
    func badQueries() async throws {
        #expect(throws: ToolhostError.self) { try PropertyRequirement(parsing: "path:text") }
        do {
            _ = try PropertyRequirement(parsing: "path:text")
        } catch {
            #expect(error.message.contains("unknown type \"text\""))
        }
        var query = ToolSearchQuery()
        query.limit = 0
        await #expect(throws: ToolhostError.self) { try await catalog.searchTools(query) }
    }
}
