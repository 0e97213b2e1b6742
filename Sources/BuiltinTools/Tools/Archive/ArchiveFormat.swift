import Foundation

/// The two archive formats the `archive` tool reads and writes.
enum ArchiveFormat: String {
    case zip
    case tarGzip = "tar.gz"

    /// The format a name announces (`.zip`, `.tar.gz`, `.tgz`), or nil.
    static func fromName(_ name: String) -> ArchiveFormat? {
        let lower = name.lowercased()
        if lower.hasSuffix(".zip") { return .zip }
        if lower.hasSuffix(".tar.gz") || lower.hasSuffix(".tgz") { return .tarGzip }
        return nil
    }

    /// The format the first bytes announce (gzip or zip magic), or nil.
    static func fromContent(_ magic: [UInt8]) -> ArchiveFormat? {
        if magic.starts(with: [0x1F, 0x8B]) { return .tarGzip }
        if magic.starts(with: [0x50, 0x4B, 0x03, 0x04]) || magic.starts(with: [0x50, 0x4B, 0x05, 0x06]) { return .zip }
        return nil
    }
}

/// The caps extraction stays within, checked against bytes actually written (headers can lie).
struct ArchiveLimits {
    /// The most entries an archive may have, for list and extract.
    var maxEntries = 50_000
    /// The most bytes an extraction may write in total.
    var maxExpandedBytes = 1 << 30
    /// The most the written bytes may exceed the archive's size, as a multiple.
    var maxExpansionRatio = 100
    /// Totals up to this size never trip the ratio cap (small text archives legitimately expand a lot).
    var ratioGraceBytes = 10 << 20

    /// The total at which extraction of an archive of `archiveBytes` stops.
    func budget(archiveBytes: Int) -> Int {
        let (byRatio, overflow) = archiveBytes.multipliedReportingOverflow(by: maxExpansionRatio)
        return min(maxExpandedBytes, max(overflow ? Int.max : byRatio, ratioGraceBytes))
    }
}

/// POSIX file-type and permission bits as libarchive reports them; archive_entry.h writes its
/// `AE_IF*` constants as casts, which Swift does not import.
enum ArchiveFileMode {
    static let typeMask: UInt32 = 0o170_000
    static let regular: UInt32 = 0o100_000
    static let directory: UInt32 = 0o040_000
    static let symlink: UInt32 = 0o120_000
    /// setuid, setgid and sticky.
    static let specialBits: UInt32 = 0o7000

    /// A phrase for a file type extraction refuses, e.g. "a FIFO".
    static func describe(type: UInt32) -> String {
        switch type & typeMask {
        case 0o020_000: "a character device"
        case 0o060_000: "a block device"
        case 0o010_000: "a FIFO"
        case 0o140_000: "a socket"
        default: "an entry of unknown type (mode \(String(type, radix: 8)))"
        }
    }
}
