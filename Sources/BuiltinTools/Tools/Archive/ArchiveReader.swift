import ArchiveSupport
import CArchive
import Foundation
import Glibc

/// A libarchive reader over an open workspace file, limited to the one format its content announces.
final class ArchiveReader {
    private let handle: OpaquePointer

    /// Starts reading the archive open at `descriptor` (which the caller keeps open) as `format`.
    /// - Throws: ``ToolFailure`` `invalid_argument` when libarchive cannot open it.
    init(descriptor: Int32, format: ArchiveFormat) throws(ToolFailure) {
        guard let handle = format.newReader() else { throw ToolFailure(.internalError, "libarchive could not allocate a reader") }
        self.handle = handle
        guard lseek(descriptor, 0, SEEK_SET) == 0, archive_read_open_fd(handle, descriptor, 64 << 10) == ARCHIVE_OK else {
            throw error("cannot open the archive")
        }
    }

    deinit {
        archive_read_free(handle)
    }

    /// The next entry's header, or nil at the end.
    /// - Throws: ``ToolFailure`` `invalid_argument` for a damaged archive.
    func next(after previous: String?) throws(ToolFailure) -> OpaquePointer? {
        var entry: OpaquePointer?
        let status = archive_read_next_header(handle, &entry)
        if status == ARCHIVE_EOF { return nil }
        guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry else {
            throw error("cannot read the entry after \(previous.map(\.debugDescription) ?? "the start")")
        }
        return entry
    }

    /// Reads the current entry's next block into `buffer`; 0 at its end.
    /// - Throws: ``ToolFailure`` `invalid_argument` for damaged data, naming the entry.
    func read(into buffer: inout [UInt8], path: String) throws(ToolFailure) -> Int {
        let count = buffer.withUnsafeMutableBytes { archive_read_data(handle, $0.baseAddress, $0.count) }
        guard count >= 0 else { throw error("cannot read \(path.debugDescription)") }
        return count
    }

    private func error(_ what: String) -> ToolFailure {
        let reason = archive_error_string(handle).map { String(cString: $0) } ?? "unknown error"
        return ToolFailure(.invalidArgument, "archive: \(what): \(reason)")
    }
}

/// One entry of an archive, checked and ready to list or extract.
struct ArchiveEntryInfo {
    enum Kind: String {
        case file, directory, symlink
    }

    var path: String
    var kind: Kind
    /// The size the header declares (0 for directories and links).
    var size: Int
    var linkTarget: String?
    var executable: Bool

    /// Checks the entry whose header was just read: type, mode bits, encryption.
    /// Returns nil for the archive's root directory entry (`./`).
    /// - Throws: ``ToolFailure`` `denied` for devices, FIFOs, sockets, setuid/setgid/sticky bits and the
    ///   path rules of ``ArchiveEntryPath``; `invalid_argument` for hard links and encrypted entries.
    static func check(_ entry: OpaquePointer, index: Int) throws(ToolFailure) -> ArchiveEntryInfo? {
        guard let pointer = archive_entry_pathname_utf8(entry) ?? archive_entry_pathname(entry) else {
            throw ToolFailure(.invalidArgument, "archive: entry \(index) has no path")
        }
        guard let raw = String(validatingCString: pointer) else {
            throw ToolFailure(.invalidArgument, "archive: entry \(index) has a path that is not UTF-8: \(String(cString: pointer).debugDescription)")
        }
        let type = UInt32(archive_entry_filetype(entry)) & ArchiveFileMode.typeMask
        guard let path = try ArchiveEntryPath.normalize(raw) else {
            guard type == ArchiveFileMode.directory else {
                throw ToolFailure(.invalidArgument, "archive: the entry \(raw.debugDescription) has no name")
            }
            return nil
        }
        let name = path.debugDescription
        // A tar hard link is typed as a regular file with a link name, so this comes first.
        if let target = archive_entry_hardlink_utf8(entry) ?? archive_entry_hardlink(entry) {
            throw ToolFailure(
                .invalidArgument, "archive: the entry \(name) is a hard link to \(String(cString: target).debugDescription); "
                    + "hard links are not supported")
        }
        let permissions = UInt32(archive_entry_perm(entry))
        if permissions & ArchiveFileMode.specialBits != 0 {
            throw ToolFailure(.denied, "archive: the entry \(name) has mode \(String(permissions, radix: 8)) with the setuid, "
                + "setgid or sticky bit; refused")
        }
        if archive_entry_is_encrypted(entry) != 0 {
            throw ToolFailure(.invalidArgument, "archive: the entry \(name) is encrypted; encrypted archives are not supported")
        }
        switch type {
        case ArchiveFileMode.regular:
            let size = archive_entry_size_is_set(entry) != 0 ? max(0, Int(archive_entry_size(entry))) : 0
            return ArchiveEntryInfo(path: path, kind: .file, size: size, linkTarget: nil, executable: permissions & 0o111 != 0)
        case ArchiveFileMode.directory:
            return ArchiveEntryInfo(path: path, kind: .directory, size: 0, linkTarget: nil, executable: false)
        case ArchiveFileMode.symlink:
            let target = (archive_entry_symlink_utf8(entry) ?? archive_entry_symlink(entry)).map { String(cString: $0) } ?? ""
            return ArchiveEntryInfo(path: path, kind: .symlink, size: 0, linkTarget: target, executable: false)
        default:
            throw ToolFailure(
                .denied, "archive: the entry \(name) is \(ArchiveFileMode.describe(type: type)); device files, FIFOs and sockets are refused")
        }
    }
}
