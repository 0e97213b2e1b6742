import BuiltinTools
import Foundation
import Glibc
import Registry
import Storage
import ToolhostCore

/// The embedded store in one directory: the SQLite database (`toolhost.sqlite`: catalog, host
/// state, traces), content-addressed blobs (`blobs/`), unpacked packages (`packages/`) and
/// workspaces (`workspaces/`). No other local user can list it or read the database and blobs.
public struct DataDirectory: Sendable {
    public let url: URL
    /// The embedded stores, all in `toolhost.sqlite` with the archives in `blobs/`.
    public let stores: HostStores

    /// The registry's stores (catalog, publishing, keys, audit log).
    public var registry: RegistryStores { stores.registry }

    /// The mode of the data directory, `packages/` and `workspaces/`: 0711, not 0700. A root supervisor
    /// runs sandboxes as an unprivileged host user (`hostIdentity` in `Sandbox/policy.json`), and that
    /// user opens the bind sources itself (the unpacked package for /pkg, a workspace for /work), so it
    /// must pass through these directories: with 0700 every packaged tool fails at set-up. The search
    /// bit alone lets it through, and no other user can list them. Inside, blobs, the database and
    /// `admin.key` are 0700/0600; unpacked packages stay 0755/0444, because that user reads them.
    static let sandboxTraversable: mode_t = 0o711

    /// Opens the directory, creating it on first use, with the shipped built-in tools in sync.
    /// - Throws: ``ToolhostError`` `storage_error` when the directory, the database or a built-in
    ///   manifest is unusable.
    public static func open(_ url: URL) async throws(ToolhostError) -> DataDirectory {
        do {
            try PrivateStorage.createDirectory(url, mode: sandboxTraversable)
            for folder in ["packages", "workspaces"] {
                try PrivateStorage.createDirectory(url.appendingPathComponent(folder), mode: sandboxTraversable)
            }
            try PrivateStorage.createDirectory(url.appendingPathComponent("blobs"))
        } catch {
            throw ToolhostError(.storage, "cannot create the data directory \(url.path): \(error.localizedDescription)")
        }
        let database = try SQLiteDatabase(path: url.appendingPathComponent("toolhost.sqlite").path)
        let stores = try HostStores.sqlite(database, blobs: BlobStore(root: url.appendingPathComponent("blobs")))
        guard let toolsDirectory = BuiltinManifests.locateDirectory() else {
            throw ToolhostError(.storage, "cannot find the built-in tools folder (Tools/); set \(BuiltinManifests.directoryVariable)")
        }
        try await stores.registry.catalog.syncBuiltins(try BuiltinManifests.load(from: toolsDirectory))
        return DataDirectory(url: url, stores: stores)
    }

    /// A host over this directory's stores.
    /// - Throws: ``ToolhostError`` `storage_error`.
    public func host(configuration: HostConfiguration? = nil, sandbox: (any SandboxRunner)?) async throws(ToolhostError) -> ToolHost {
        try await ToolHost(configuration: configuration ?? HostConfiguration(dataDirectory: url), stores: stores, sandbox: sandbox)
    }
}

import Sandbox
