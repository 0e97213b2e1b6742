import ArchiveSupport
import Foundation
import Glibc
import ToolhostCore

/// The files of a package directory as they will be packed: regular files only, sorted by path.
///
/// Symbolic links that resolve to a regular file inside the directory are packed as a copy of that
/// file (the reader accepts no links, and a publisher's `README.md -> docs/README.md` should still
/// work); links that leave the directory, dangle or name a directory are refused, as are devices,
/// FIFOs, sockets and setuid, setgid or sticky bits. Every `.git` entry, at any depth, is skipped;
/// nothing else is ignored, so what is packed is what is in the directory.
struct PackageTree {
    /// One file to pack.
    struct File: Equatable {
        /// The path inside the package, `/`-separated.
        var path: String
        /// Where its bytes are read from (the link's target for a followed link).
        var source: String
        var executable: Bool
        var size: Int
    }

    private(set) var files: [File] = []
    private let root: String
    private let limits: PackageArchiveLimits
    private var totalBytes = 0
    private var entryCount = 0

    /// Walks `directory`.
    /// - Throws: ``PublishError`` `io_error` when the directory cannot be read, and the reader's
    ///   codes for what it would refuse (`link_outside`, `symlink`, `special_file`, `setuid`,
    ///   `invalid_path`, `path_too_long`, `path_too_deep`, `too_many_entries`, `file_too_large`,
    ///   `manifest_too_large`, `expanded_too_large`), so a bad tree fails before anything is uploaded.
    init(directory: URL, limits: PackageArchiveLimits) throws(PublishError) {
        self.limits = limits
        let path = directory.standardizedFileURL.path
        guard let resolved = realpath(path, nil) else {
            throw PublishError(.io, "cannot open the package directory \(path): \(String(cString: strerror(errno)))")
        }
        root = String(cString: resolved)
        free(resolved)
        guard Self.fileType(atPath: root) == ArchiveFileMode.directory else {
            throw PublishError(.io, "\(path) is not a directory")
        }
        try walk(relative: "")
        // Byte order, not String order, so the order cannot depend on Unicode tables.
        files.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }

    private mutating func walk(relative: String) throws(PublishError) {
        let directory = relative.isEmpty ? root : "\(root)/\(relative)"
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw PublishError(.io, "cannot list \(directory): \(error.localizedDescription)")
        }
        for name in names where name != ".git" {
            let path = relative.isEmpty ? name : "\(relative)/\(name)"
            guard let normalized = try PackagePath.normalize(path, limits: limits), normalized == path else {
                throw PublishError(.invalidPath, "\(PackagePath.quoted(path)) is not a path a package can hold", entry: path)
            }
            entryCount += 1
            if entryCount > limits.maxEntries {
                throw PublishError(
                    .tooManyEntries, "the directory has more than \(limits.maxEntries) files and directories, the limit for a package",
                    details: ["limit": .int(limits.maxEntries)])
            }
            let full = "\(root)/\(path)"
            var info = try Self.linkStatus(full)
            var source = full
            let type = UInt32(info.st_mode) & ArchiveFileMode.typeMask
            if type == ArchiveFileMode.directory {
                try checkModeBits(info, path: path)
                try walk(relative: path)
                continue
            }
            if type == ArchiveFileMode.symlink {
                source = try resolveLink(full, path: path)
                info = try Self.linkStatus(source)
            } else if type != ArchiveFileMode.regular {
                throw PublishError(
                    .specialFile,
                    "\(PackagePath.quoted(path)) is \(ArchiveFileMode.describe(type: type)); a package holds regular files and directories only",
                    entry: path)
            }
            try checkModeBits(info, path: path)
            try add(File(path: path, source: source, executable: UInt32(info.st_mode) & ArchiveFileMode.executeBits != 0, size: Int(info.st_size)))
        }
    }

    /// The real path of the link at `full`, which must be a regular file inside the root.
    private func resolveLink(_ full: String, path: String) throws(PublishError) -> String {
        let name = PackagePath.quoted(path)
        let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: full)) ?? "?"
        guard let resolved = realpath(full, nil) else {
            throw PublishError(.symlink, "\(name) is a symbolic link to \(target.debugDescription), which does not exist", entry: path)
        }
        defer { free(resolved) }
        let real = String(cString: resolved)
        guard real.hasPrefix(root + "/") else {
            throw PublishError(
                .linkOutside, "\(name) is a symbolic link to \(target.debugDescription), which is outside the package directory", entry: path)
        }
        let type = Self.fileType(atPath: real)
        guard type == ArchiveFileMode.regular else {
            throw PublishError(
                .symlink, "\(name) is a symbolic link to \(ArchiveFileMode.describe(type: type ?? 0)); only links to regular files are packed (as copies)",
                entry: path)
        }
        return real
    }

    private func checkModeBits(_ info: stat, path: String) throws(PublishError) {
        let permissions = UInt32(info.st_mode) & 0o7777
        if permissions & ArchiveFileMode.specialBits != 0 {
            throw PublishError(
                .setuid,
                "\(PackagePath.quoted(path)) has mode \(String(permissions, radix: 8)) with the setuid, setgid or sticky bit; clear it before packing",
                entry: path)
        }
    }

    private mutating func add(_ file: File) throws(PublishError) {
        let isManifest = file.path == PackageArchiveReader.manifestPath
        try limits.checkFileSize(file.size, path: file.path, isManifest: isManifest, declared: true)
        totalBytes += file.size
        if totalBytes > limits.maxExpandedBytes {
            throw PublishError(
                .expandedTooLarge,
                "the files add up to more than \(limits.maxExpandedBytes) bytes, the limit for a package (at \(PackagePath.quoted(file.path)))",
                entry: file.path, details: ["limit": .int(limits.maxExpandedBytes)])
        }
        files.append(file)
    }

    private static func linkStatus(_ path: String) throws(PublishError) -> stat {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            throw PublishError(.io, "cannot inspect \(path): \(String(cString: strerror(errno)))")
        }
        return info
    }

    private static func fileType(atPath path: String) -> UInt32? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return UInt32(info.st_mode) & ArchiveFileMode.typeMask
    }
}
