/// The line-level comparison of GNU diff (diffutils 3.x `diff_2_files` without options): lines become
/// equivalence classes, lines that cannot match are set aside (`discard_confusing_lines`), the rest are
/// compared with Myers' middle-snake bisection (gnulib `diffseq.h`), and runs of changes are slid to
/// join each other (`shift_boundaries`).
///
/// Every step follows GNU's, because several diffs are often equally short and only GNU's own choices
/// make the output byte-for-byte what `diff -u` prints.
struct LineComparison: Sendable {
    /// One change: `deleted` lines at `line0` of the original replaced by `inserted` lines at `line1`.
    struct Change: Sendable, Hashable {
        var line0: Int
        var line1: Int
        var deleted: Int
        var inserted: Int
    }

    /// The changes in order, with line numbers counted from 0 in each whole text.
    let changes: [Change]

    init(_ side0: DiffSide, _ side1: DiffSide, horizon: Int) {
        let ends = IdenticalEnds(side0, side1, horizon: horizon)
        let offset = ends.prefixLines
        var classes = LineClasses()
        let equivs0 = (offset..<ends.suffixStart0).map { classes.number(of: side0, line: $0) }
        let equivs1 = (offset..<ends.suffixStart1).map { classes.number(of: side1, line: $0) }
        var changed0 = ChangeFlags(count: equivs0.count)
        var changed1 = ChangeFlags(count: equivs1.count)

        let kept = ConfusingLines.discard(equivs0, equivs1, classCount: classes.count, &changed0, &changed1)
        let bisection = MyersBisection(kept.values0, kept.values1)
        bisection.compare(0, kept.values0.count, 0, kept.values1.count, findMinimal: false)
        for index in bisection.deletions { changed0[kept.indexes0[index]] = true }
        for index in bisection.insertions { changed1[kept.indexes1[index]] = true }

        BoundaryShift.apply(&changed0, equivs0, other: changed1)
        BoundaryShift.apply(&changed1, equivs1, other: changed0)
        changes = Self.script(changed0, equivs0.count, changed1, equivs1.count).map {
            Change(line0: $0.line0 + offset, line1: $0.line1 + offset, deleted: $0.deleted, inserted: $0.inserted)
        }
    }

    /// Pairs up unchanged lines from the start and records each run of changes between them.
    private static func script(_ changed0: ChangeFlags, _ count0: Int, _ changed1: ChangeFlags, _ count1: Int) -> [Change] {
        var changes: [Change] = []
        var index0 = 0
        var index1 = 0
        while index0 < count0 || index1 < count1 {
            if changed0[index0] || changed1[index1] {
                let start0 = index0
                let start1 = index1
                while changed0[index0] { index0 += 1 }
                while changed1[index1] { index1 += 1 }
                changes.append(Change(line0: start0, line1: start1, deleted: index0 - start0, inserted: index1 - start1))
            }
            index0 += 1
            index1 += 1
        }
        return changes
    }
}

/// Numbers lines so that two lines get the same number exactly when their bytes are equal and both or
/// neither is an incomplete last line (GNU diff never pairs a line with the same text missing its newline).
struct LineClasses: Sendable {
    private struct Key: Hashable {
        var bytes: ArraySlice<UInt8>
        var incomplete: Bool
    }

    private var numbers: [Key: Int] = [:]

    /// How many numbers are in use, plus one: numbers start at 1.
    var count: Int { numbers.count + 1 }

    mutating func number(of side: DiffSide, line: Int) -> Int {
        let key = Key(bytes: side.content(ofLine: line), incomplete: side.isIncomplete(line: line))
        if let number = numbers[key] { return number }
        let number = numbers.count + 1
        numbers[key] = number
        return number
    }
}
