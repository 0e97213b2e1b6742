/// The caps a package archive must stay within, checked while it is read (and, for the files, while
/// a directory is packed).
///
/// ```swift
/// var limits = PackageArchiveLimits()
/// limits.maxExpandedBytes = 100 << 20
/// let package = try PackageArchiveReader(limits: limits).read(upload)
/// ```
public struct PackageArchiveLimits: Sendable, Hashable {
    /// The largest archive accepted, as uploaded (compressed). Default 10 MiB.
    public var maxArchiveBytes = 10 << 20
    /// The largest sum of all file sizes once expanded. Default 50 MiB.
    public var maxExpandedBytes = 50 << 20
    /// The largest single file once expanded. Default 10 MiB.
    public var maxFileBytes = 10 << 20
    /// The most entries (files and directories) an archive may have. Default 2,000.
    public var maxEntries = 2000
    /// The largest allowed ratio of expanded bytes to archive bytes. Default 100.
    public var maxExpansionRatio = 100
    /// Expanded totals up to this size never trip the ratio cap. Default 1 MiB.
    ///
    /// A tiny archive of very regular text (a JSON fixture, a lock file) legitimately expands more
    /// than a hundredfold, and a megabyte is harmless; the ratio is there to stop a bomb early, which
    /// only matters once the total is large (Apache POI's zip-bomb guard has the same grace).
    public var expansionRatioGraceBytes = 1 << 20
    /// The largest `toolhost.json`. Default 256 KiB.
    public var maxManifestBytes = 256 << 10
    /// The longest path, in UTF-8 bytes. Default 255.
    public var maxPathBytes = 255
    /// The most components a path may have (`a/b/c` has 3). Default 16.
    public var maxPathDepth = 16

    /// The defaults described on each field.
    public init() {}

    /// The most bytes that an archive of `archiveBytes` may expand to before the ratio cap trips.
    func expansionBudget(forArchiveBytes archiveBytes: Int) -> Int {
        let (byRatio, overflow) = archiveBytes.multipliedReportingOverflow(by: maxExpansionRatio)
        return max(overflow ? Int.max : byRatio, expansionRatioGraceBytes)
    }
}
