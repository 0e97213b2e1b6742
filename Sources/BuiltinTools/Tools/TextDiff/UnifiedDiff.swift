/// A unified diff as GNU `diff -U<context> --label <label0> --label <label1>` prints it.
struct UnifiedDiff: Sendable {
    /// The diff text; empty when the texts are equal.
    var text = ""
    /// Lines printed with `+`, with `-`, and the number of `@@` hunks.
    var added = 0
    var removed = 0
    var hunks = 0

    private static let noNewlineNote = Array("\\ No newline at end of file\n".utf8)

    init(original: String, modified: String, context: Int, label0: String, label1: String) {
        let side0 = DiffSide(original)
        let side1 = DiffSide(modified)
        // GNU keeps at least `context` common lines at each end in the comparison (its horizon).
        let changes = LineComparison(side0, side1, horizon: context).changes
        guard !changes.isEmpty else { return }
        var output: [UInt8] = Array("--- \(label0)\n+++ \(label1)\n".utf8)
        // Changes separated by at most 2·context unchanged lines share a hunk (`find_hunk`).
        var first = 0
        while first < changes.count {
            var last = first
            while last + 1 < changes.count,
                changes[last + 1].line0 - (changes[last].line0 + changes[last].deleted) <= 2 * context
            {
                last += 1
            }
            appendHunk(changes[first...last], context: context, side0, side1, to: &output)
            first = last + 1
        }
        text = String(decoding: output, as: UTF8.self)
    }

    /// Prints one hunk (`pr_unidiff_hunk`): the header, then context, removed and added lines.
    private mutating func appendHunk(
        _ group: ArraySlice<LineComparison.Change>, context: Int, _ side0: DiffSide, _ side1: DiffSide, to output: inout [UInt8]
    ) {
        let head = group[group.startIndex]
        let tail = group[group.endIndex - 1]
        let first0 = max(head.line0 - context, 0)
        let first1 = max(head.line1 - context, 0)
        let last0 = min(tail.line0 + tail.deleted - 1 + context, side0.lineCount - 1)
        let last1 = min(tail.line1 + tail.inserted - 1 + context, side1.lineCount - 1)
        hunks += 1
        output.append(contentsOf: "@@ -\(Self.range(first0, last0)) +\(Self.range(first1, last1)) @@\n".utf8)

        var index0 = first0
        var index1 = first1
        var next = group.startIndex
        while index0 <= last0 || index1 <= last1 {
            if next == group.endIndex || index0 < group[next].line0 {
                Self.appendLine(" ", index0, of: side0, to: &output)
                index0 += 1
                index1 += 1
                continue
            }
            let change = group[next]
            for _ in 0..<change.deleted {
                Self.appendLine("-", index0, of: side0, to: &output)
                index0 += 1
            }
            for _ in 0..<change.inserted {
                Self.appendLine("+", index1, of: side1, to: &output)
                index1 += 1
            }
            removed += change.deleted
            added += change.inserted
            next += 1
        }
    }

    /// `l,s` for the 0-based lines `first...last` (`print_unidiff_number_range`): `,s` is left out when
    /// s is 1, and an empty range is written as the line before it with `,0`.
    private static func range(_ first: Int, _ last: Int) -> String {
        let start = first + 1
        let end = last + 1
        if end < start { return "\(end),0" }
        if end == start { return "\(end)" }
        return "\(start),\(end - start + 1)"
    }

    private static func appendLine(_ marker: Character, _ index: Int, of side: DiffSide, to output: inout [UInt8]) {
        output.append(marker.asciiValue!)
        output.append(contentsOf: side.content(ofLine: index))
        output.append(UInt8(ascii: "\n"))
        if side.isIncomplete(line: index) { output.append(contentsOf: noNewlineNote) }
    }
}
