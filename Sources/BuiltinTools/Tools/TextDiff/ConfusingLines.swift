/// GNU diff's `discard_confusing_lines`: before the comparison, a line with no equal line in the
/// other text is marked changed and left out; a line with very many equal lines there is left out too,
/// but only inside a run of such lines framed by lines that match nothing. This keeps the bisection
/// small and steers it away from aligning on common lines such as blank ones.
enum ConfusingLines {
    /// The lines the comparison still considers, with their positions among all compared lines.
    struct Kept: Sendable {
        var values0: [Int] = []
        var indexes0: [Int] = []
        var values1: [Int] = []
        var indexes1: [Int] = []
    }

    private static let none: UInt8 = 0
    private static let always: UInt8 = 1
    private static let provisional: UInt8 = 2

    /// Marks the discarded lines in `changed0`/`changed1` and returns the others.
    static func discard(
        _ equivs0: [Int], _ equivs1: [Int], classCount: Int, _ changed0: inout ChangeFlags, _ changed1: inout ChangeFlags
    ) -> Kept {
        var counts0 = [Int](repeating: 0, count: classCount)
        var counts1 = [Int](repeating: 0, count: classCount)
        for value in equivs0 { counts0[value] += 1 }
        for value in equivs1 { counts1[value] += 1 }
        var discards0 = marks(equivs0, matchesIn: counts1)
        var discards1 = marks(equivs1, matchesIn: counts0)
        settleProvisional(&discards0)
        settleProvisional(&discards1)

        var kept = Kept()
        for (index, value) in equivs0.enumerated() {
            if discards0[index] == none {
                kept.values0.append(value)
                kept.indexes0.append(index)
            } else {
                changed0[index] = true
            }
        }
        for (index, value) in equivs1.enumerated() {
            if discards1[index] == none {
                kept.values1.append(value)
                kept.indexes1.append(index)
            } else {
                changed1[index] = true
            }
        }
        return kept
    }

    /// `always` for a line without matches, `provisional` for one with more than about
    /// 5·√(lines/64) matches in the other text.
    private static func marks(_ equivs: [Int], matchesIn otherCounts: [Int]) -> [UInt8] {
        var many = 5
        var scaled = equivs.count / 64
        while true {
            scaled >>= 2
            if scaled <= 0 { break }
            many *= 2
        }
        return equivs.map { value in
            let matches = otherCounts[value]
            if matches == 0 { return always }
            return matches > many ? provisional : none
        }
    }

    /// Keeps a provisional discard only inside a run of discards that starts and ends with a line
    /// that matches nothing, is not more than a quarter provisional, and holds no long subrun of
    /// provisionals; near the run's ends they are cancelled too.
    private static func settleProvisional(_ discards: inout [UInt8]) {
        let end = discards.count
        var i = 0
        while i < end {
            defer { i += 1 }
            if discards[i] == provisional {
                discards[i] = none
                continue
            }
            if discards[i] == none { continue }
            var j = i
            var provisionals = 0
            while j < end && discards[j] != none {
                if discards[j] == provisional { provisionals += 1 }
                j += 1
            }
            while j > i && discards[j - 1] == provisional {
                j -= 1
                discards[j] = none
                provisionals -= 1
            }
            let length = j - i
            if provisionals * 4 > length {
                while j > i {
                    j -= 1
                    if discards[j] == provisional { discards[j] = none }
                }
                continue
            }
            var minimum = 1
            var scaled = length >> 2
            while true {
                scaled >>= 2
                if scaled <= 0 { break }
                minimum <<= 1
            }
            minimum += 1
            cancelLongSubruns(&discards, start: i, length: length, minimum: minimum)
            cancelNearEnd(&discards, from: i, step: 1, length: length)
            i += length - 1
            cancelNearEnd(&discards, from: i, step: -1, length: length)
        }
    }

    /// Cancels every subrun of `minimum` or more provisionals in the run.
    private static func cancelLongSubruns(_ discards: inout [UInt8], start: Int, length: Int, minimum: Int) {
        var j = 0
        var consecutive = 0
        while j < length {
            if discards[start + j] != provisional {
                consecutive = 0
            } else {
                consecutive += 1
                if consecutive == minimum {
                    // Go back to the subrun's first line so that all of it is cancelled.
                    j -= consecutive
                } else if consecutive > minimum {
                    discards[start + j] = none
                }
            }
            j += 1
        }
    }

    /// From one end of the run, cancels provisionals until 3 non-provisional discards in a row or
    /// the first one at least 8 lines in.
    private static func cancelNearEnd(_ discards: inout [UInt8], from origin: Int, step: Int, length: Int) {
        var consecutive = 0
        for j in 0..<length {
            let index = origin + j * step
            if j >= 8 && discards[index] == always { break }
            if discards[index] == provisional {
                consecutive = 0
                discards[index] = none
            } else if discards[index] == none {
                consecutive = 0
            } else {
                consecutive += 1
            }
            if consecutive == 3 { break }
        }
    }
}
