import CArchive

/// The two archive formats Toolhost reads and writes: package uploads and the `archive` tool.
public enum ArchiveFormat: String, Sendable, Hashable, CaseIterable {
    /// A tar archive compressed with gzip (magic `1f 8b`).
    case tarGzip = "tar.gz"
    /// A zip archive (magic `PK\3\4`, or `PK\5\6` for an empty one).
    case zip

    /// The format a file name announces (`.zip`, `.tar.gz`, `.tgz`), or nil.
    public static func fromName(_ name: String) -> ArchiveFormat? {
        let lower = name.lowercased()
        if lower.hasSuffix(".zip") { return .zip }
        if lower.hasSuffix(".tar.gz") || lower.hasSuffix(".tgz") { return .tarGzip }
        return nil
    }

    /// The format the first bytes announce (gzip or zip magic), or nil for anything else.
    public static func fromContent(_ magic: some Collection<UInt8>) -> ArchiveFormat? {
        let magic = Array(magic.prefix(4))
        if magic.starts(with: [0x1F, 0x8B]) { return .tarGzip }
        if magic == [0x50, 0x4B, 0x03, 0x04] || magic == [0x50, 0x4B, 0x05, 0x06] { return .zip }
        return nil
    }

    /// A new libarchive reader that understands this format and nothing else: a gzip stream must
    /// hold a tar, and none of libarchive's other parsers ever sees the bytes. Zip is read with the
    /// seekable reader, which trusts the central directory as unzip does and handles entries whose
    /// sizes only follow their data. Nil when libarchive cannot allocate one; free it with
    /// `archive_read_free`.
    public func newReader() -> OpaquePointer? {
        guard let handle = archive_read_new() else { return nil }
        switch self {
        case .tarGzip:
            archive_read_support_filter_gzip(handle)
            archive_read_support_format_tar(handle)
        case .zip:
            archive_read_support_format_zip_seekable(handle)
        }
        return handle
    }
}
