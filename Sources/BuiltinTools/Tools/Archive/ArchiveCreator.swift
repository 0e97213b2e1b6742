import ArchiveSupport
import CArchive
import CSandboxSupport
import Foundation
import Glibc

/// Packs workspace files into a new archive, streaming each file through libarchive.
struct ArchiveCreator {
    let workspace: Workspace
    let archive: WorkspacePath
    /// The format asked for; nil: from the archive's name.
    let requested: ArchiveFormat?
    let level: Int
    let deadline: ContinuousClock.Instant

    /// A file or link to pack, by workspace path.
    private struct Item {
        var path: WorkspacePath
        var linkTarget: String?
    }

    /// Creates the archive from `paths` (nil: the whole workspace but the archive itself).
    /// - Returns: the format, the entries in the order added and the archive's size.
    /// - Throws: ``ToolFailure`` `invalid_argument` when the archive exists, `not_found` for a missing
    ///   path, `denied` for a link leaving the workspace; on failure no archive is left behind.
    func create(_ paths: [WorkspacePath]?) throws(ToolFailure) -> (ArchiveFormat, [ArchiveEntryInfo], Int) {
        switch try workspace.entry(at: archive)?.kind {
        case nil: break
        case .symlink?: throw ToolFailure(.denied, "archive: \"\(archive)\" is a symbolic link; create never writes through a link")
        default: throw ToolFailure(.invalidArgument, "archive: \"\(archive)\" already exists; create never replaces an archive")
        }
        guard let format = requested ?? ArchiveFormat.fromName(archive.lastComponent) else {
            throw ToolFailure(.invalidArgument, "format: cannot tell the format from the name \"\(archive.lastComponent)\"; "
                + "give format zip or tar.gz")
        }
        var items: [String: Item] = [:]
        if let paths {
            for path in paths { try collect(path, field: path.field, into: &items) }
        } else {
            try collect(WorkspacePath(".", field: "paths"), field: "paths", into: &items)
        }
        items[archive.value] = nil
        let ordered = items.values.sorted { $0.path.value.utf8.lexicographicallyPrecedes($1.path.value.utf8) }
        // Opening the parent first refuses a link out as `denied` rather than as "not a directory".
        do {
            close(try workspace.openDescriptor(archive.parent, flags: openPathOnly | O_DIRECTORY))
        } catch where error.kind == .notFound {
            try workspace.createDirectory(archive.parent, withParents: true)
        }
        let descriptor: Int32
        do {
            descriptor = try workspace.openDescriptor(archive, flags: O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC)
        } catch {
            if error.message.hasSuffix(String(cString: strerror(EEXIST))) {
                throw ToolFailure(.invalidArgument, "archive: \"\(archive)\" already exists; create never replaces an archive")
            }
            throw error
        }
        do {
            defer { close(descriptor) }
            let entries = try write(ordered, to: descriptor, format: format)
            var info = stat()
            fstat(descriptor, &info)
            // The archive's size is known only once it is written; one that does not fit is removed below.
            try workspace.ensureWithinQuota(field: "archive") {}
            return (format, entries, Int(info.st_size))
        } catch {
            try? workspace.remove(archive)
            throw error
        }
    }

    /// Adds the file at `path`, or everything below the directory at `path`, to `items`.
    private func collect(_ path: WorkspacePath, field: String, into items: inout [String: Item]) throws(ToolFailure) {
        guard let entry = try workspace.entry(at: path) else {
            throw ToolFailure(.notFound, "\(field): \"\(path)\" does not exist in the workspace")
        }
        switch entry.kind {
        case .file:
            items[path.value] = Item(path: path)
        case .symlink:
            let target = try workspace.symbolicLinkTarget(at: path)
            guard ArchiveEntryPath.linkStaysInside(path: path.value, target: target) else {
                throw ToolFailure(
                    .denied, "\(field): \"\(path)\" is a symbolic link to \(target.debugDescription), which leaves the workspace")
            }
            items[path.value] = Item(path: path, linkTarget: target)
        case .directory:
            for child in try workspace.entries(of: path) {
                try collect(path.appending(child.name), field: field, into: &items)
            }
        case .other:
            break  // devices, FIFOs and sockets are skipped, as the manifest says
        }
    }

    private func write(_ items: [Item], to descriptor: Int32, format: ArchiveFormat) throws(ToolFailure) -> [ArchiveEntryInfo] {
        guard let handle = archive_write_new() else { throw ToolFailure(.internalError, "libarchive could not allocate a writer") }
        defer { archive_write_free(handle) }
        switch format {
        case .zip:
            try check(archive_write_set_format_zip(handle), handle, "cannot set up zip")
            let option = level == 0 ? "zip:compression=store" : "zip:compression-level=\(level)"
            try check(archive_write_set_options(handle, option), handle, "cannot set the compression level")
        case .tarGzip:
            try check(archive_write_add_filter_gzip(handle), handle, "cannot set up gzip")
            try check(archive_write_set_format_pax_restricted(handle), handle, "cannot set up tar")
            try check(archive_write_set_options(handle, "gzip:compression-level=\(level)"), handle, "cannot set the compression level")
            try check(archive_write_set_bytes_in_last_block(handle, 1), handle, "cannot turn off padding")
        }
        try check(archive_write_open_fd(handle, descriptor), handle, "cannot open the archive for writing")
        var entries: [ArchiveEntryInfo] = []
        var block = [UInt8](repeating: 0, count: 64 << 10)
        for item in items {
            if ContinuousClock.now >= deadline || Task.isCancelled {
                throw ToolFailure(.timeout, "archive: \"\(archive)\" was not done within the tool's time limit")
            }
            entries.append(try add(item, to: handle, block: &block))
        }
        try check(archive_write_close(handle), handle, "cannot finish the archive")
        return entries
    }

    private func add(_ item: Item, to handle: OpaquePointer, block: inout [UInt8]) throws(ToolFailure) -> ArchiveEntryInfo {
        guard let entry = archive_entry_new() else { throw ToolFailure(.internalError, "libarchive could not allocate an entry") }
        defer { archive_entry_free(entry) }
        archive_entry_set_pathname_utf8(entry, item.path.value)
        archive_entry_set_uid(entry, 0)
        archive_entry_set_gid(entry, 0)
        if let target = item.linkTarget {
            archive_entry_set_filetype(entry, ArchiveFileMode.symlink)
            archive_entry_set_perm(entry, 0o777)
            archive_entry_set_symlink_utf8(entry, target)
            try check(archive_write_header(handle, entry), handle, "cannot write the header of \(item.path)")
            return ArchiveEntryInfo(path: item.path.value, kind: .symlink, size: 0, linkTarget: target, executable: false)
        }
        return try workspace.withDescriptor(item.path, flags: O_RDONLY | O_NOFOLLOW | O_NONBLOCK) { file throws(ToolFailure) in
            var info = stat()
            guard fstat(file, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
                throw ToolFailure(.invalidArgument, "paths: \"\(item.path)\" changed while the archive was written")
            }
            let size = Int(info.st_size)
            archive_entry_set_filetype(entry, ArchiveFileMode.regular)
            archive_entry_set_perm(entry, UInt32(info.st_mode) & 0o111 != 0 ? 0o755 : 0o644)
            archive_entry_set_size(entry, la_int64_t(size))
            archive_entry_set_mtime(entry, time_t(info.st_mtim.tv_sec), info.st_mtim.tv_nsec)
            try check(archive_write_header(handle, entry), handle, "cannot write the header of \(item.path)")
            var remaining = size
            while remaining > 0 {
                let count = block.withUnsafeMutableBytes { read(file, $0.baseAddress, min($0.count, remaining)) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { throw ToolFailure(.invalidArgument, "paths: \"\(item.path)\" shrank while the archive was written") }
                let written = block.withUnsafeBytes { archive_write_data(handle, $0.baseAddress, count) }
                guard written == count else {
                    throw ToolFailure(.internalError, "archive: cannot write \"\(item.path)\": \(Self.reason(handle))")
                }
                remaining -= count
            }
            return ArchiveEntryInfo(path: item.path.value, kind: .file, size: size, linkTarget: nil, executable: false)
        }
    }

    private func check(_ status: Int32, _ handle: OpaquePointer, _ what: String) throws(ToolFailure) {
        guard status == ARCHIVE_OK else { throw ToolFailure(.internalError, "archive: \(what): \(Self.reason(handle))") }
    }

    private static func reason(_ handle: OpaquePointer) -> String {
        archive_error_string(handle).map { String(cString: $0) } ?? "unknown libarchive error"
    }
}
