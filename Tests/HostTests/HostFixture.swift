import BuiltinTools
import Foundation
import Host
import Registry
import Sandbox
import TestSupport
import ToolhostCore

/// A host on a fresh data directory: a real SQLite catalog with the built-ins synced, a blob store,
/// the real sandbox, and test packages published through the real publishing pipeline.
struct HostFixture {
    let dataDirectory: URL
    let catalog: SQLiteCatalog
    let blobs: BlobStore
    var configuration: HostConfiguration

    /// One sandbox for the whole test process, like the server's.
    static let sandbox: Sandbox = {
        do { return try Sandbox() } catch { fatalError("the sandbox cannot be created: \(error)") }
    }()

    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    init() throws {
        dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("toolhost-host-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        catalog = try SQLiteCatalog(path: dataDirectory.appendingPathComponent("toolhost.db").path)
        _ = try catalog.syncBuiltins(BuiltinManifests.load(from: Self.repository.appendingPathComponent("Tools")))
        blobs = BlobStore(root: dataDirectory.appendingPathComponent("blobs"))
        configuration = HostConfiguration(dataDirectory: dataDirectory, environment: [:])
    }

    /// A host over this data directory; a second one over the same directory is a restart.
    func host() throws -> ToolHost {
        try ToolHost(configuration: configuration, catalog: catalog, sandbox: Self.sandbox)
    }

    /// A host as after a restart: a new catalog connection and new in-memory state, same files.
    func restartedHost() throws -> ToolHost {
        let reopened = try SQLiteCatalog(path: dataDirectory.appendingPathComponent("toolhost.db").path)
        return try ToolHost(configuration: configuration, catalog: reopened, sandbox: Self.sandbox)
    }

    func publishExample(_ folder: String) throws {
        let archive = try PackageArchiveWriter().pack(directory: Self.repository.appendingPathComponent("Registry/examples/\(folder)"))
        _ = try catalog.publish(PublishRequest(archive: archive, caller: .localAdmin), blobs: blobs)
    }

    /// Publishes `acme/testkit` (see ``TestKit``).
    func publishTestKit(version: String = "1.0.0") throws {
        _ = try catalog.publish(PublishRequest(archive: try TestKit.archive(version: version), caller: .localAdmin), blobs: blobs)
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
