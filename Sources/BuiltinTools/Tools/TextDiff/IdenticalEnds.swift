/// The common prefix and suffix that GNU diff sets aside before comparing (`find_identical_ends` in
/// diffutils' io.c): found byte by byte, widened to whole lines, and then shortened by `horizon` lines
/// at each end so that the comparison still sees some context to slide changes into.
///
/// Which lines stay in the middle changes which of several equally short diffs comes out, so this
/// follows GNU's byte-level rules exactly, quirks included (a missing final newline never counts as
/// common, and a differing one keeps the whole suffix in the middle).
struct IdenticalEnds: Sendable {
    /// Lines before this index (the same in both texts) are common and left out of the comparison.
    var prefixLines: Int
    /// The first line of each text's common suffix, which is left out too.
    var suffixStart0: Int
    var suffixStart1: Int

    init(_ side0: DiffSide, _ side1: DiffSide, horizon: Int) {
        let bytes0 = side0.bytes
        let bytes1 = side1.bytes
        let count0 = bytes0.count
        let count1 = bytes1.count
        let newline = UInt8(ascii: "\n")

        var prefixEnd = 0
        let shorter = min(count0, count1)
        while prefixEnd < shorter && bytes0[prefixEnd] == bytes1[prefixEnd] { prefixEnd += 1 }
        // An appended newline must not pass for a common byte when only one text lacked it.
        let pastEnd0 = count0 - (side0.missingNewline ? 1 : 0) < prefixEnd
        let pastEnd1 = count1 - (side1.missingNewline ? 1 : 0) < prefixEnd
        if pastEnd0 != pastEnd1 { prefixEnd -= 1 }
        var horizonLeft = horizon
        while prefixEnd != 0 {
            if bytes0[prefixEnd - 1] == newline {
                if horizonLeft == 0 { break }
                horizonLeft -= 1
            }
            prefixEnd -= 1
        }

        var end0 = count0
        var end1 = count1
        if side0.missingNewline == side1.missingNewline {
            var stop = prefixEnd + (count0 < count1 ? 0 : count0 - count1)
            while end0 != stop {
                end0 -= 1
                end1 -= 1
                if bytes0[end0] != bytes1[end1] {
                    end0 += 1
                    end1 += 1
                    stop = end0
                    break
                }
            }
            let atLineStarts = (end0 == 0 || bytes0[end0 - 1] == newline) && (end1 == 0 || bytes1[end1 - 1] == newline)
            var linesToKeep = horizon + (atLineStarts ? 0 : 1)
            while linesToKeep != 0 && end0 != count0 {
                linesToKeep -= 1
                while bytes0[end0] != newline { end0 += 1 }
                end0 += 1
            }
            end1 += end0 - stop
        }

        prefixLines = side0.lineIndex(atOffset: prefixEnd)
        suffixStart0 = side0.lineIndex(atOffset: end0)
        suffixStart1 = side1.lineIndex(atOffset: end1)
    }
}
