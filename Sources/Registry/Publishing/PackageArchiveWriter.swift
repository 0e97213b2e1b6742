import ArchiveSupport
import CArchive
import Foundation
import ToolhostCore

/// Packs a package directory into `.tar.gz` bytes that depend only on the files' paths, contents
/// and execute bits, so the same tree always gives the same archive and the same sha256.
///
/// What makes it reproducible: entries sorted by path (bytewise), regular files only (no directory
/// entries, whose existence depends on how the tree was made), mtime 0, uid and gid 0 with no user
/// or group names, modes normalised to 0644 or 0755 (any execute bit), the restricted pax format
/// (plain ustar headers unless a long or non-ASCII name needs a pax record), and a gzip header
/// without a timestamp or file name. `.git` is skipped; see ``PackageTree`` for what is refused.
///
/// ```swift
/// let archive = try PackageArchiveWriter().pack(directory: URL(fileURLWithPath: "./my-tool"))
/// let digest = PackageDigest(of: archive)
/// ```
public struct PackageArchiveWriter: Sendable {
    /// The caps the directory must stay within: the same as the registry's, so that a package
    /// that packs is not refused on upload for its size.
    public var limits: PackageArchiveLimits

    /// Creates a writer with `limits` (the defaults unless given).
    public init(limits: PackageArchiveLimits = PackageArchiveLimits()) {
        self.limits = limits
    }

    /// Packs the files under `directory`.
    /// - Throws: ``PublishError`` `link_outside` for a link leaving the directory, `symlink` for a
    ///   dangling link or one to a directory, `special_file`, `setuid`, the path codes, the size and
    ///   count codes, `too_large` when the archive exceeds ``PackageArchiveLimits/maxArchiveBytes``,
    ///   and `io_error` when a file cannot be read.
    public func pack(directory: URL) throws(PublishError) -> Data {
        let tree = try PackageTree(directory: directory, limits: limits)
        return try ArchiveLocale.withUTF8 { () throws(PublishError) in try write(tree) }
    }

    private func write(_ tree: PackageTree) throws(PublishError) -> Data {
        guard let handle = archive_write_new() else { throw PublishError(.io, "libarchive could not allocate a writer") }
        defer { archive_write_free(handle) }
        let output = ArchiveOutput()
        try check(archive_write_add_filter_gzip(handle), handle, "cannot set up gzip")
        try check(archive_write_set_format_pax_restricted(handle), handle, "cannot set up the pax format")
        // Without this the gzip header carries the time of packing, and no two packs would match.
        try check(archive_write_set_options(handle, "gzip:!timestamp"), handle, "cannot turn off the gzip timestamp")
        // tar pads its output to 10 KiB records, which after gzip is only trailing zeros on the wire.
        try check(archive_write_set_bytes_in_last_block(handle, 1), handle, "cannot turn off padding")
        try check(output.open(handle), handle, "cannot open the archive")
        for file in tree.files {
            try write(file, to: handle)
        }
        try check(archive_write_close(handle), handle, "cannot finish the archive")
        if output.data.count > limits.maxArchiveBytes {
            throw PublishError(
                .tooLarge, "the packed archive is \(output.data.count) bytes; the registry accepts at most \(limits.maxArchiveBytes)",
                details: ["limit": .int(limits.maxArchiveBytes), "actual": .int(output.data.count)])
        }
        return output.data
    }

    private func write(_ file: PackageTree.File, to handle: OpaquePointer) throws(PublishError) {
        let contents: Data
        do {
            contents = try Data(contentsOf: URL(fileURLWithPath: file.source))
        } catch {
            throw PublishError(.io, "cannot read \(file.source): \(error.localizedDescription)", entry: file.path)
        }
        // Checked again on the bytes actually read: the file may have grown since it was listed.
        try limits.checkFileSize(contents.count, path: file.path, isManifest: file.path == PackageArchiveReader.manifestPath, declared: true)
        guard let entry = archive_entry_new() else { throw PublishError(.io, "libarchive could not allocate an entry") }
        defer { archive_entry_free(entry) }
        archive_entry_set_pathname_utf8(entry, file.path)
        archive_entry_set_filetype(entry, ArchiveFileMode.regular)
        archive_entry_set_perm(entry, file.executable ? 0o755 : 0o644)
        archive_entry_set_size(entry, la_int64_t(contents.count))
        archive_entry_set_mtime(entry, 0, 0)
        archive_entry_set_uid(entry, 0)
        archive_entry_set_gid(entry, 0)
        try check(archive_write_header(handle, entry), handle, "cannot write the header of \(file.path)")
        let written = contents.withUnsafeBytes { archive_write_data(handle, $0.baseAddress, $0.count) }
        guard written == contents.count else {
            throw PublishError(.io, "cannot write \(file.path) into the archive: \(Self.reason(handle))", entry: file.path)
        }
    }

    private func check(_ status: Int32, _ handle: OpaquePointer, _ what: String) throws(PublishError) {
        guard status == ARCHIVE_OK else { throw PublishError(.io, "\(what): \(Self.reason(handle))") }
    }

    private static func reason(_ handle: OpaquePointer) -> String {
        archive_error_string(handle).map { String(cString: $0) } ?? "unknown libarchive error"
    }
}
