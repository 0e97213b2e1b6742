import Foundation
import GRDB
import Registry
import Testing
import ToolhostCore

@Suite("Storing packages in the catalog")
struct CatalogStorageTests {
    @Test("a first start stores the 24 built-in tools, and a second start changes nothing")
    func builtinsAreStoredOnce() async throws {
        let fixture = try await CatalogFixture.withBuiltins()
        var query = ToolSearchQuery()
        query.limit = 1000
        #expect(try await fixture.catalog.searchTools(query).count == 24)
        let report = try await fixture.catalog.syncBuiltins(try CatalogFixture.builtinManifests())
        #expect(!report.changedAnything)
        #expect(report.unchanged == 24)
    }

    @Test("the catalog survives reopening the database file")
    func reopening() async throws {
        let fixture = try await CatalogFixture.withBuiltins()
        let reopened = try CatalogFixture.open(fixture.directory).catalog
        #expect(try await reopened.tool(named: "file_read", version: nil).definition.name == "file_read")
    }

    @Test("a built-in that changed is replaced, one that is gone is removed")
    func builtinSync() async throws {
        let fixture = try CatalogFixture()
        let first = try SampleManifest.make(name: "toolhost/count", runtime: "builtin")
        let other = try SampleManifest.make(name: "toolhost/other", runtime: "builtin", tools: [SampleManifest.tool(name: "other")])
        try await fixture.catalog.syncBuiltins([first, other])
        let changed = try SampleManifest.make(name: "toolhost/count", runtime: "builtin",
                                              tools: [SampleManifest.tool(description: "Counts words, faster.")])
        let report = try await fixture.catalog.syncBuiltins([changed])
        #expect(report.replaced == ["toolhost/count"])
        #expect(report.removed == ["toolhost/other"])
        #expect(try await fixture.catalog.tool(named: "count", version: nil).definition.description == "Counts words, faster.")
        await #expect(throws: ToolhostError.self) { try await fixture.catalog.tool(named: "other", version: nil) }
    }

    @Test("publishing an existing version is a conflict and changes nothing")
    func duplicateVersion() async throws {
        let fixture = try CatalogFixture()
        try await fixture.catalog.insertVersion(SampleManifest.make())
        let again = try SampleManifest.make(tools: [SampleManifest.tool(description: "Something else.")])
        do {
            try await fixture.catalog.insertVersion(again)
            Issue.record("a duplicate version was accepted")
        } catch {
            #expect(error.code == .conflict)
            #expect(error.message.contains("acme/word-count@1.0.0"))
        }
        #expect(try await fixture.catalog.tool(named: "acme/word-count/count", version: nil).definition.description == "Counts the words of a text.")
    }

    @Test("stored versions cannot be rewritten, even by SQL")
    func versionsAreImmutable() async throws {
        let fixture = try CatalogFixture()
        try await fixture.catalog.insertVersion(SampleManifest.make())
        let database = try DatabaseQueue(path: fixture.databasePath)
        #expect(throws: (any Error).self) {
            try database.write { try $0.execute(sql: "UPDATE packageVersion SET manifest = '{}'") }
        }
    }

    @Test("unpinned lookups see the highest release; prereleases only when pinned")
    func latestVersion() async throws {
        let fixture = try CatalogFixture()
        for version in ["1.0.0", "1.10.0", "1.9.0", "2.0.0-beta.1"] {
            try await fixture.catalog.insertVersion(SampleManifest.make(version: version))
        }
        let latest = try await fixture.catalog.tool(named: "acme/word-count/count", version: nil)
        #expect(latest.version.description == "1.10.0")
        #expect(latest.versions.map(\.version.description) == ["2.0.0-beta.1", "1.10.0", "1.9.0", "1.0.0"])
        let pinned = try await fixture.catalog.tool(named: "acme/word-count/count", version: SemanticVersion(parsing: "2.0.0-beta.1"))
        #expect(pinned.version.description == "2.0.0-beta.1")
        #expect(try await fixture.catalog.searchTools(ToolSearchQuery(text: "count")).map(\.version.description) == ["1.10.0"])
    }

    /// A manifest that passed its checks but that the database refuses half-way: its tool is listed
    /// twice, so the second tool row breaks a UNIQUE constraint after the package and version rows
    /// were written.
    static func failingHalfway(name: String, runtime: String) throws -> LoadedManifest {
        var loaded = try SampleManifest.make(name: name, runtime: runtime)
        loaded.manifest.tools.append(loaded.manifest.tools[0])
        return loaded
    }

    @Test("an insert that fails half-way leaves no package, version or tool behind")
    func insertIsAtomic() async throws {
        let fixture = try CatalogFixture()
        await #expect(throws: ToolhostError.self) { try await fixture.catalog.insertVersion(Self.failingHalfway(name: "acme/word-count", runtime: "python3")) }
        await #expect(throws: ToolhostError.self) { try await fixture.catalog.tool(named: "acme/word-count/count", version: nil) }
        // The same version can still be published: no row of the failed attempt is left.
        try await fixture.catalog.insertVersion(SampleManifest.make())
        #expect(try await fixture.catalog.searchTools(ToolSearchQuery(text: "count")).count == 1)
    }

    @Test("a sync that fails part-way leaves the catalog as it was")
    func syncIsAtomic() async throws {
        let fixture = try CatalogFixture()
        let fresh = try SampleManifest.make(name: "toolhost/aaa", runtime: "builtin", tools: [SampleManifest.tool(name: "aaa")])
        await #expect(throws: ToolhostError.self) {
            try await fixture.catalog.syncBuiltins([fresh, Self.failingHalfway(name: "toolhost/zzz", runtime: "builtin")])
        }
        await #expect(throws: ToolhostError.self) { try await fixture.catalog.tool(named: "aaa", version: nil) }
    }

    @Test("an unknown tool is not found, with its name in the message")
    func unknownTool() async throws {
        let fixture = try await CatalogFixture.withBuiltins()
        do {
            _ = try await fixture.catalog.tool(named: "no_such_tool", version: nil)
            Issue.record("found a tool that does not exist")
        } catch {
            #expect(error.code == .notFound)
            #expect(error.message.contains("no_such_tool"))
        }
    }
}
