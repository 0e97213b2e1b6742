import ArchiveSupport
import CArchive

/// What an archive entry may be in a package: a regular file or a directory. Everything else is
/// refused here, before any of its data is read.
enum ArchiveEntryKind: Equatable {
    case file(executable: Bool)
    case directory

    /// Classifies `entry` (at the normalised `path`), refusing links, special files and special mode bits.
    /// - Throws: ``PublishError`` `hardlink`, `link_outside`, `symlink`, `special_file`, `setuid` or `encrypted_entry`.
    static func classify(_ entry: OpaquePointer, path: String) throws(PublishError) -> ArchiveEntryKind {
        let name = PackagePath.quoted(path)
        // A tar hard link is typed as a regular file with a link name, so this comes first.
        if let target = archive_entry_hardlink_utf8(entry) ?? archive_entry_hardlink(entry) {
            throw PublishError(
                .hardlink, "\(name) is a hard link to \(String(cString: target).debugDescription); packages may not contain links",
                entry: path)
        }
        let type = UInt32(archive_entry_filetype(entry)) & ArchiveFileMode.typeMask
        if type == ArchiveFileMode.symlink {
            let targetPointer = archive_entry_symlink_utf8(entry) ?? archive_entry_symlink(entry)
            let target = targetPointer.map { String(cString: $0) } ?? ""
            // All links are refused (a package is files only, so nothing in it can be made to
            // point elsewhere later); the code still says whether this one would have escaped.
            if PackagePath.linkStaysInside(path: path, target: target) {
                throw PublishError(
                    .symlink,
                    "\(name) is a symbolic link to \(target.debugDescription); packages may contain regular files only, so copy the file instead",
                    entry: path)
            }
            throw PublishError(
                .linkOutside, "\(name) is a symbolic link to \(target.debugDescription), which points outside the package", entry: path)
        }
        guard type == ArchiveFileMode.regular || type == ArchiveFileMode.directory else {
            throw PublishError(
                .specialFile, "\(name) is \(ArchiveFileMode.describe(type: type)); packages may contain regular files and directories only", entry: path)
        }
        let permissions = UInt32(archive_entry_perm(entry))
        if permissions & ArchiveFileMode.specialBits != 0 {
            throw PublishError(
                .setuid, "\(name) has mode \(String(permissions, radix: 8)) with the setuid, setgid or sticky bit; packages may not carry them",
                entry: path)
        }
        if archive_entry_is_encrypted(entry) != 0 {
            throw PublishError(.encryptedEntry, "\(name) is encrypted; the registry must be able to read every file it serves", entry: path)
        }
        return type == ArchiveFileMode.directory ? .directory : .file(executable: permissions & ArchiveFileMode.executeBits != 0)
    }
}
