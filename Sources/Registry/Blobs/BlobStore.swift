import Foundation
import Storage
import Glibc
import ToolhostCore

/// Package archives on disk, addressed by their sha256 (`blobs/sha256/ab/abcd…`), directories
/// 0700 and files 0600.
///
/// A blob is written to a temporary file, flushed and renamed into place, so a reader (or a crash)
/// sees either no blob or the whole one. Blobs are written before the catalog row that refers to
/// them; ``sweep(keeping:)`` removes those a crash left without one.
public struct BlobStore: Sendable {
    public let root: URL

    public init(root: URL) { self.root = root }

    func path(for sha256: String) -> URL {
        root.appendingPathComponent("sha256").appendingPathComponent(String(sha256.prefix(2))).appendingPathComponent(sha256)
    }

    /// Stores `data` under `sha256`; returns false when it was already there.
    /// - Throws: ``ToolhostError`` `storage_error` naming the path.
    @discardableResult
    public func put(_ data: Data, sha256: String) throws(ToolhostError) -> Bool {
        let target = path(for: sha256)
        if FileManager.default.fileExists(atPath: target.path) { return false }
        let directory = target.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".tmp-\(UUID().uuidString)")
        do {
            // Private packages are in here: no other local user may list or read the blobs.
            for level in [root, directory.deletingLastPathComponent(), directory] { try PrivateStorage.createDirectory(level) }
            let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, PrivateStorage.fileMode)
            guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            defer { close(descriptor) }
            try data.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    guard written > 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
                    offset += written
                }
            }
            guard fsync(descriptor) == 0, rename(temporary.path, target.path) == 0 else {
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            return true
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw ToolhostError(.storage, "cannot store blob \(target.path): \(error)")
        }
    }

    /// The blob's bytes, or nil when there is none.
    public func get(sha256: String) -> Data? {
        try? Data(contentsOf: path(for: sha256))
    }

    public func remove(sha256: String) {
        try? FileManager.default.removeItem(at: path(for: sha256))
    }

    /// Removes every blob whose digest is not in `referenced`, and leftover temporary files.
    /// - Returns: the digests removed.
    @discardableResult
    public func sweep(keeping referenced: Set<String>) -> [String] {
        let base = root.appendingPathComponent("sha256")
        var removed: [String] = []
        for prefix in (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? [] {
            let directory = base.appendingPathComponent(prefix)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [] where !referenced.contains(name) {
                try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
                if !name.hasPrefix(".tmp-") { removed.append(name) }
            }
        }
        return removed
    }
}
