import Foundation
import Host
import Registry
import ToolhostCore

/// Opens the embedded catalog for a command and makes sure it holds the shipped built-in tools.
enum CatalogContext {
    /// The catalog in `dataDirectory`, created on first use, with the built-ins from `Tools/` in sync.
    /// - Throws: ``ToolhostError`` when the data directory, the database or a built-in manifest is unusable.
    static func open(dataDirectory: URL) async throws(ToolhostError) -> any CatalogStore {
        try await DataDirectory.open(dataDirectory).registry.catalog
    }
}
