import ToolhostCore

/// Counts the bytes that come out of an archive, block by block, and stops the read the moment a
/// cap is crossed.
///
/// Sizes in entry headers are only a hint (a hostile archive lies about them), so every cap is
/// checked against bytes actually produced: a decompression bomb is abandoned after at most one
/// buffer beyond its cap, never decompressed in full.
struct ExpansionMeter {
    let limits: PackageArchiveLimits
    let archiveBytes: Int
    /// The expanded total at which the ratio cap trips, from the archive's real size.
    let ratioBudget: Int
    private(set) var total = 0

    init(limits: PackageArchiveLimits, archiveBytes: Int) {
        self.limits = limits
        self.archiveBytes = archiveBytes
        self.ratioBudget = limits.expansionBudget(forArchiveBytes: archiveBytes)
    }

    /// Refuses an entry before reading it when its header already admits to being too large.
    /// - Throws: ``PublishError`` `manifest_too_large` or `file_too_large`.
    func checkDeclaredSize(_ size: Int, path: String, isManifest: Bool) throws(PublishError) {
        try limits.checkFileSize(size, path: path, isManifest: isManifest, declared: true)
    }

    /// Counts `count` more bytes of the entry at `path`, which has produced `fileBytes` so far
    /// (including these), and throws as soon as any cap is exceeded.
    /// - Throws: ``PublishError`` `manifest_too_large`, `file_too_large`, `expanded_too_large` or `expansion_ratio`.
    mutating func count(_ count: Int, fileBytes: Int, path: String, isManifest: Bool) throws(PublishError) {
        total += count
        try limits.checkFileSize(fileBytes, path: path, isManifest: isManifest, declared: false)
        if total > limits.maxExpandedBytes {
            throw PublishError(
                .expandedTooLarge,
                "the files add up to more than \(limits.maxExpandedBytes) bytes, the limit for an expanded package "
                    + "(stopped reading at \(PackagePath.quoted(path)) after \(total) bytes)",
                entry: path, details: ["limit": .int(limits.maxExpandedBytes), "expandedSoFar": .int(total)])
        }
        if total > ratioBudget {
            throw PublishError(
                .expansionRatio,
                "the archive of \(archiveBytes) bytes expands to more than \(limits.maxExpansionRatio) times its size "
                    + "(stopped reading at \(PackagePath.quoted(path)) after \(total) bytes); this looks like a decompression bomb",
                entry: path,
                details: [
                    "limit": .int(limits.maxExpansionRatio), "archiveBytes": .int(archiveBytes), "expandedSoFar": .int(total),
                ])
        }
    }
}

extension PackageArchiveLimits {
    /// Refuses a file of `bytes` at `path`: `declared` when the size comes from a header or `stat`
    /// (and is exact), otherwise counted so far (and only known to be over the cap).
    /// - Throws: ``PublishError`` `manifest_too_large` or `file_too_large`.
    func checkFileSize(_ bytes: Int, path: String, isManifest: Bool, declared: Bool) throws(PublishError) {
        if isManifest, bytes > maxManifestBytes {
            throw PublishError(
                .manifestTooLarge,
                "toolhost.json \(size(bytes, declared: declared, cap: maxManifestBytes)); the limit for a manifest is \(maxManifestBytes)",
                entry: path, details: ["limit": .int(maxManifestBytes)])
        }
        if bytes > maxFileBytes {
            throw PublishError(
                .fileTooLarge,
                "\(PackagePath.quoted(path)) \(size(bytes, declared: declared, cap: maxFileBytes)); the limit for one file is \(maxFileBytes)",
                entry: path, details: ["limit": .int(maxFileBytes)])
        }
    }

    private func size(_ bytes: Int, declared: Bool, cap: Int) -> String {
        declared ? "is \(bytes) bytes" : "has more than \(cap) bytes"
    }
}
