import BuiltinTools
import Foundation
import Registry
import ToolhostCore

/// Opens the embedded catalog for a command and makes sure it holds the shipped built-in tools.
enum CatalogContext {
    /// The catalog in `dataDirectory`, created on first use, with the built-ins from `Tools/` in sync.
    /// - Throws: ``ToolhostError`` when the data directory, the database or a built-in manifest is unusable.
    static func open(dataDirectory: URL) throws(ToolhostError) -> SQLiteCatalog {
        do {
            try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        } catch {
            throw ToolhostError(.storage, "cannot create the data directory \(dataDirectory.path): \(error.localizedDescription)")
        }
        let catalog = try SQLiteCatalog(path: dataDirectory.appendingPathComponent("toolhost.sqlite").path)
        guard let toolsDirectory = BuiltinManifests.locateDirectory() else {
            throw ToolhostError(.storage, "cannot find the built-in tools folder (Tools/); set \(BuiltinManifests.directoryVariable)")
        }
        _ = try catalog.syncBuiltins(try BuiltinManifests.load(from: toolsDirectory))
        return catalog
    }
}
