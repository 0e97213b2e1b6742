import BuiltinTools
import Foundation
import Host
import Registry
import Sandbox
import Storage
import TestSupport
import ToolhostCore

/// A host on a fresh data directory: a real SQLite catalog with the built-ins synced, a blob store,
/// the real sandbox, and test packages published through the real publishing pipeline.
struct HostFixture {
    let dataDirectory: URL
    let stores: HostStores
    var configuration: HostConfiguration

    var catalog: any CatalogStore { stores.registry.catalog }

    /// One sandbox for the whole test process, like the server's.
    static let sandbox: Sandbox = {
        do { return try Sandbox() } catch { fatalError("the sandbox cannot be created: \(error)") }
    }()

    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    init() async throws {
        dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("toolhost-host-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        stores = try Self.openStores(dataDirectory)
        try await stores.registry.catalog.syncBuiltins(BuiltinManifests.load(from: Self.repository.appendingPathComponent("Tools")))
        configuration = HostConfiguration(dataDirectory: dataDirectory, environment: [:])
    }

    /// The embedded stores of `directory`, on a database connection of their own.
    static func openStores(_ directory: URL) throws -> HostStores {
        try HostStores.sqlite(try SQLiteDatabase(path: directory.appendingPathComponent("toolhost.db").path),
                              blobs: BlobStore(root: directory.appendingPathComponent("blobs")))
    }

    /// A host over this data directory; a second one over the same directory is a restart. Tests
    /// of what happens before anything runs (resolution, authorization, validation) pass `nil`:
    /// they need no sandbox, and a host without one proves that nothing ran.
    func host(sandbox: (any SandboxRunner)? = HostFixture.sandbox) async throws -> ToolHost {
        try await ToolHost(configuration: configuration, stores: stores, sandbox: sandbox)
    }

    /// A host as after a restart: a new database connection and new in-memory state, same files.
    func restartedHost() async throws -> ToolHost {
        try await ToolHost(configuration: configuration, stores: try Self.openStores(dataDirectory), sandbox: Self.sandbox)
    }

    func publishExample(_ folder: String) async throws {
        let archive = try PackageArchiveWriter().pack(directory: Self.repository.appendingPathComponent("Registry/examples/\(folder)"))
        _ = try await stores.registry.publishing.publish(PublishRequest(archive: archive, caller: .localAdmin))
    }

    /// Publishes `acme/testkit` (see ``TestKit``).
    func publishTestKit(version: String = "1.0.0") async throws {
        _ = try await stores.registry.publishing.publish(PublishRequest(archive: try TestKit.archive(version: version), caller: .localAdmin))
    }

    func remove() {
        try? FileManager.default.removeItem(at: dataDirectory)
    }

    static func caller(level: PrivilegeLevel, scopes: Set<Scope> = [.read, .invoke], tenant: String = "local") -> Caller {
        Caller(keyID: "key-\(level.rawValue)", tenant: tenant, maxPrivilege: level, scopes: scopes)
    }
}

extension ToolCallOutcome {
    var result: ToolCallResult? {
        if case .completed(let result) = self { return result }
        return nil
    }

    var approval: Approval? {
        if case .pendingApproval(let approval) = self { return approval }
        return nil
    }
}
