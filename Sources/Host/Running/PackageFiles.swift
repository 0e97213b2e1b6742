import Foundation
import Registry
import Synchronization
import ToolhostCore

/// Unpacked packages on disk, read-only and keyed by the archive's sha256
/// (`<data>/packages/<sha256>/`), so that each version is unpacked once and bound into sandboxes
/// as it is.
///
/// Unpacking goes through the same checks as publishing (``PackageArchiveReader``) into a temporary
/// directory that is renamed into place, so a crash never leaves a half-unpacked package under its
/// final name. A Mutex serialises unpacking of one process; a racing process loses the rename
/// harmlessly.
final class PackageFiles: Sendable {
    let root: URL
    let archives: any PublishingStore
    private let unpacking = Mutex<Void>(())

    init(root: URL, archives: any PublishingStore) {
        self.root = root
        self.archives = archives
    }

    /// The directory of the package whose archive has `sha256`, unpacked if needed.
    /// - Throws: ``ToolhostError`` `storage_error` when the archive is missing or cannot be unpacked.
    func directory(sha256: String) async throws(ToolhostError) -> URL {
        let target = root.appendingPathComponent(sha256)
        if FileManager.default.fileExists(atPath: target.path) { return target }
        guard let archive = await archives.archive(sha256: sha256) else {
            throw ToolhostError(.storage, "the archive \(sha256) of a published package is missing from the registry's store")
        }
        return try unpacking.withLock { _ throws(ToolhostError) -> URL in
            if FileManager.default.fileExists(atPath: target.path) { return target }
            let package: UnpackedPackage
            do {
                package = try PackageArchiveReader().read(archive)
            } catch {
                throw ToolhostError(.storage, "the stored archive \(sha256) cannot be unpacked: \(error)")
            }
            let staging = root.appendingPathComponent(".unpacking-\(UUID().uuidString)")
            do {
                try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
                for (path, data) in package.files {
                    let file = staging.appendingPathComponent(path)
                    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try data.write(to: file)
                    let mode: Int = package.executablePaths.contains(path) ? 0o555 : 0o444
                    try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file.path)
                }
                try FileManager.default.moveItem(at: staging, to: target)
            } catch {
                try? FileManager.default.removeItem(at: staging)
                if FileManager.default.fileExists(atPath: target.path) { return target }
                throw ToolhostError(.storage, "cannot unpack package \(sha256) into \(root.path): \(error.localizedDescription)")
            }
            return target
        }
    }
}
