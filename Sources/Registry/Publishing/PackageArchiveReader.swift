import ArchiveSupport
import CArchive
import Foundation
import ToolhostCore

/// Reads an uploaded package archive (`.tar.gz` or `.zip`) entirely in memory and refuses anything
/// that could hurt whoever unpacks or runs it.
///
/// Nothing is extracted to disk and libarchive is never asked to write a path: the reader returns
/// the files as bytes, and storing them is the caller's job. The checks, each with its own
/// ``PublishError/Code``:
/// - the archive's own size (`too_large`), then its format by content: gzip-compressed tar or zip,
///   nothing else reaches a libarchive parser (`invalid_archive`);
/// - every path: no `..` (`path_traversal`), no leading `/` (`absolute_path`), no backslash, NUL or
///   control character (`invalid_path`), length and depth caps (`path_too_long`, `path_too_deep`);
/// - every entry: no hard links (`hardlink`), no symbolic links (`link_outside` for those that would
///   escape, `symlink` for the rest), no devices, FIFOs or sockets (`special_file`), no setuid, setgid
///   or sticky bits (`setuid`), no encrypted zip entries (`encrypted_entry`);
/// - the counts, from bytes actually decompressed, never from headers: entries (`too_many_entries`),
///   per file (`file_too_large`, `manifest_too_large`), in total (`expanded_too_large`) and relative
///   to the archive's size (`expansion_ratio`), stopping at the first block over a cap;
/// - the layout: one spelling per path (`duplicate_entry`), no path that is both a file and a
///   directory (`path_conflict`), and `toolhost.json` at the root (`missing_manifest`). A single
///   folder wrapping the package is not unwrapped: the manifest must be at the root.
///
/// ```swift
/// let package = try PackageArchiveReader().read(uploadedBytes)
/// let manifest = try ManifestLoader.load(data: package.manifest, source: "upload")
/// ```
public struct PackageArchiveReader: Sendable {
    /// The caps the archive must stay within.
    public var limits: PackageArchiveLimits

    /// The path of the manifest inside a package.
    public static let manifestPath = "toolhost.json"

    /// Creates a reader with `limits` (the defaults unless given).
    public init(limits: PackageArchiveLimits = PackageArchiveLimits()) {
        self.limits = limits
    }

    /// Checks and reads `archive`, returning the package's files.
    /// - Throws: ``PublishError`` with the code of the first problem found (see the type's
    ///   documentation), naming the entry and the limit.
    public func read(_ archive: Data) throws(PublishError) -> UnpackedPackage {
        if archive.count > limits.maxArchiveBytes {
            throw PublishError(
                .tooLarge, "the archive is \(archive.count) bytes; the limit is \(limits.maxArchiveBytes)",
                details: ["limit": .int(limits.maxArchiveBytes), "actual": .int(archive.count)])
        }
        guard let format = Self.format(of: archive) else {
            let start = archive.prefix(4).map { String(format: "%02x", $0) }.joined(separator: " ")
            throw PublishError(
                .invalidArchive, "the upload is not a .tar.gz or .zip archive (it starts with \(start.isEmpty ? "nothing" : start))")
        }
        // libarchive reads straight from the upload's buffer, which must stay valid for the whole
        // read; the result is carried out of the closure because `withUnsafeBytes` is not typed-throws.
        let result = archive.withUnsafeBytes { buffer in
            Result { () throws(PublishError) -> UnpackedPackage in
                try ArchiveLocale.withUTF8 { () throws(PublishError) in try readEntries(buffer, format: format) }
            }
        }
        return try result.get()
    }

    /// The format `archive` is in, judged by its first bytes only; `nil` for anything else.
    public static func format(of archive: Data) -> PackageArchiveFormat? {
        ArchiveFormat.fromContent(archive.prefix(4))
    }

    private func readEntries(_ buffer: UnsafeRawBufferPointer, format: PackageArchiveFormat) throws(PublishError) -> UnpackedPackage {
        // Only the one filter and format the magic bytes announced (duplicates between a zip's
        // central directory and its local headers are caught below).
        guard let handle = format.newReader() else { throw PublishError(.io, "libarchive could not allocate a reader") }
        defer { archive_read_free(handle) }
        guard archive_read_open_memory(handle, buffer.baseAddress, buffer.count) == ARCHIVE_OK else {
            throw Self.libarchiveError(handle, "cannot open the archive")
        }
        var unpacker = Unpacker(limits: limits, archiveBytes: buffer.count, format: format)
        var entry: OpaquePointer?
        while true {
            let status = archive_read_next_header(handle, &entry)
            if status == ARCHIVE_EOF { break }
            // ARCHIVE_WARN is a header libarchive could read with a caveat (typically a name it could
            // not convert to the locale); the name is checked below like any other.
            guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry else {
                throw Self.libarchiveError(handle, "cannot read the entry after \(unpacker.lastPath.map(PackagePath.quoted) ?? "the start")")
            }
            try unpacker.take(entry, from: handle)
        }
        return try unpacker.finish()
    }

    static func libarchiveError(_ handle: OpaquePointer, _ what: String) -> PublishError {
        let reason = archive_error_string(handle).map { String(cString: $0) } ?? "unknown error"
        return PublishError(.invalidArchive, "\(what): \(reason)")
    }
}
