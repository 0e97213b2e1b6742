import Foundation

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
