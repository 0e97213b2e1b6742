import ArchiveSupport
import Foundation

/// The container format of a package archive, recognised by its first bytes, never by a file name.
public typealias PackageArchiveFormat = ArchiveFormat

/// A package as read from an archive that passed every check: its files, by path, in memory.
///
/// The package carries regular files only (no links, no empty directories), so storing it is
/// writing ``files`` under a fresh directory, and nothing in it can point elsewhere.
public struct UnpackedPackage: Sendable, Hashable {
    /// Every regular file, keyed by its normalised path relative to the package root (`src/main.py`).
    public var files: [String: Data]
    /// The bytes of `toolhost.json` at the root (also in ``files``); parse them with ``ManifestLoader``.
    public var manifest: Data
    /// The paths of ``files`` that had an execute bit; they are unpacked with mode 0755, the others 0644.
    public var executablePaths: Set<String>
    /// The container format the bytes turned out to be.
    public var format: PackageArchiveFormat
    /// The sum of the file sizes, as counted while reading.
    public var expandedBytes: Int
    /// How many entries (files and directories) the archive had.
    public var entryCount: Int

    /// Creates an unpacked package from its parts.
    public init(
        files: [String: Data], manifest: Data, executablePaths: Set<String>, format: PackageArchiveFormat,
        expandedBytes: Int, entryCount: Int
    ) {
        self.files = files
        self.manifest = manifest
        self.executablePaths = executablePaths
        self.format = format
        self.expandedBytes = expandedBytes
        self.entryCount = entryCount
    }
}
