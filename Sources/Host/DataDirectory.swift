import BuiltinTools
import Foundation
import Registry
import ToolhostCore

/// The embedded store in one directory: the SQLite database (`toolhost.sqlite`: catalog, host
/// state, traces), content-addressed blobs (`blobs/`), unpacked packages (`packages/`) and
/// workspaces (`workspaces/`).
public struct DataDirectory: Sendable {
    public let url: URL
    public let catalog: SQLiteCatalog
    public let blobs: BlobStore

    /// Opens the directory, creating it on first use, with the shipped built-in tools in sync.
    /// - Throws: ``ToolhostError`` `storage_error` when the directory, the database or a built-in
    ///   manifest is unusable.
    public static func open(_ url: URL) throws(ToolhostError) -> DataDirectory {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw ToolhostError(.storage, "cannot create the data directory \(url.path): \(error.localizedDescription)")
        }
        let catalog = try SQLiteCatalog(path: url.appendingPathComponent("toolhost.sqlite").path)
        guard let toolsDirectory = BuiltinManifests.locateDirectory() else {
            throw ToolhostError(.storage, "cannot find the built-in tools folder (Tools/); set \(BuiltinManifests.directoryVariable)")
        }
        _ = try catalog.syncBuiltins(try BuiltinManifests.load(from: toolsDirectory))
        return DataDirectory(url: url, catalog: catalog, blobs: BlobStore(root: url.appendingPathComponent("blobs")))
    }

    /// A host over this directory's stores.
    /// - Throws: ``ToolhostError`` `storage_error`.
    public func host(configuration: HostConfiguration? = nil, sandbox: Sandbox?) throws(ToolhostError) -> ToolHost {
        try ToolHost(configuration: configuration ?? HostConfiguration(dataDirectory: url), catalog: catalog, sandbox: sandbox)
    }
}

import Sandbox
