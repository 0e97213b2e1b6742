/// GNU diff's `shift_boundaries`: where a run of changed lines could equally sit a few lines earlier
/// or later (the lines slid over are equal), move it to join neighbouring runs, else as far down as
/// possible, and finally back up to line up with a run of changes in the other text.
enum BoundaryShift {
    /// Shifts the runs of `changed` (one text's marks, over lines with classes `equivs`), reading
    /// the other text's marks to keep track of corresponding positions.
    static func apply(_ changed: inout ChangeFlags, _ equivs: [Int], other: ChangeFlags) {
        let end = equivs.count
        var i = 0
        var j = 0
        while true {
            // Find the start of the next run, keeping j at the corresponding line of the other text.
            while i < end && !changed[i] {
                while other[j] { j += 1 }
                j += 1
                i += 1
            }
            if i == end { break }
            var start = i
            repeat { i += 1 } while changed[i]
            while other[j] { j += 1 }

            var runLength: Int
            var corresponding: Int
            repeat {
                runLength = i - start
                // Slide back while the line before the run equals its last line, merging with earlier runs.
                while start != 0 && equivs[start - 1] == equivs[i - 1] {
                    start -= 1
                    changed[start] = true
                    i -= 1
                    changed[i] = false
                    while changed[start - 1] { start -= 1 }
                    repeat { j -= 1 } while other[j]
                }
                corresponding = other[j - 1] ? i : end
                // Then slide forward while the run's first line equals the line after it.
                while i != end && equivs[start] == equivs[i] {
                    changed[start] = false
                    start += 1
                    changed[i] = true
                    i += 1
                    while changed[i] { i += 1 }
                    while true {
                        j += 1
                        if !other[j] { break }
                        corresponding = i
                    }
                }
            } while runLength != i - start

            // Move the merged run back to where it lines up with changes in the other text, if it can.
            while corresponding < i {
                start -= 1
                changed[start] = true
                i -= 1
                changed[i] = false
                repeat { j -= 1 } while other[j]
            }
        }
    }
}
