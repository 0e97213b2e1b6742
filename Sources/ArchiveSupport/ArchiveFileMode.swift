/// The POSIX file-type and permission bits, as libarchive's entries and `lstat` report them.
///
/// archive_entry.h writes its `AE_IF*` constants as casts, which Swift does not import, so the
/// values are spelled out here once, for every reader and writer of archives.
public enum ArchiveFileMode {
    public static let typeMask: UInt32 = 0o170_000
    public static let regular: UInt32 = 0o100_000
    public static let directory: UInt32 = 0o040_000
    public static let symlink: UInt32 = 0o120_000
    /// setuid, setgid and sticky.
    public static let specialBits: UInt32 = 0o7000
    /// Any execute bit.
    public static let executeBits: UInt32 = 0o111

    /// A phrase for a file type, for the messages of refusals, e.g. "a FIFO".
    public static func describe(type: UInt32) -> String {
        switch type & typeMask {
        case 0o020_000: "a character device"
        case 0o060_000: "a block device"
        case 0o010_000: "a FIFO"
        case 0o140_000: "a socket"
        case symlink: "a symbolic link"
        case directory: "a directory"
        case regular: "a regular file"
        default: "an entry of unknown type (mode \(String(type, radix: 8)))"
        }
    }
}
