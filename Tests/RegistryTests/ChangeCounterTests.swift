import Foundation
import Registry
import Storage
import Testing
import ToolhostCore

/// The revisions that the registry's caches compare change with what the caches hold, and only then.
@Suite("The registry's change counters")
struct ChangeCounterTests {
    @Test("the catalog's revision changes with a new version, a yank and a built-in sync, not with keys, signing keys or audit events")
    func catalogRevision() async throws {
        let fixture = try CatalogFixture()
        let catalog = fixture.catalog
        var seen = await catalog.revision()
        func changed() async -> Bool {
            let now = await catalog.revision()
            defer { seen = now }
            return now != seen
        }
        try await fixture.catalog.insertVersion(SampleManifest.make(version: "1.0.0"))
        #expect(await changed(), "a new version")
        _ = try await fixture.keys.createAPIKey(tenant: "acme", name: "k", maxPrivilege: .readOnly, scopes: [.read])
        #expect(await !changed(), "an API key is not the catalog's")
        try await fixture.publishing.setYanked(true, name: "acme/word-count", version: try SemanticVersion(parsing: "1.0.0"),
                                                reason: nil, caller: .localAdmin)
        #expect(await changed(), "a yank")
        try await fixture.catalog.syncBuiltins(try CatalogFixture.builtinManifests())
        #expect(await changed(), "a built-in sync that added tools")
        try await fixture.catalog.syncBuiltins(try CatalogFixture.builtinManifests())
        #expect(await !changed(), "a sync that changed nothing")
    }

    @Test("the keys' revision changes with a new key, and another connection's new key shows within milliseconds")
    func keysRevision() async throws {
        let fixture = try CatalogFixture()
        let before = await fixture.keys.revision()
        _ = try await fixture.keys.createAPIKey(tenant: "acme", name: "k", maxPrivilege: .readOnly, scopes: [.read])
        let afterOwn = await fixture.keys.revision()
        #expect(afterOwn != before)
        try await fixture.catalog.insertVersion(SampleManifest.make())
        #expect(await fixture.keys.revision() == afterOwn, "a package is not the keys' concern")

        // Another connection to the file is what another process is to SQLite.
        let other = try CatalogFixture.open(fixture.directory)
        _ = try await other.keys.createAPIKey(tenant: "acme", name: "late", maxPrivilege: .readOnly, scopes: [.read])
        try await Task.sleep(for: .milliseconds(5))  // data_version is sampled every 2 ms
        #expect(await fixture.keys.revision() != afterOwn)
    }
}
