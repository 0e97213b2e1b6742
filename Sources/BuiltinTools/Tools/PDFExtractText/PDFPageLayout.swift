/// Turns a page's text runs into its text: runs on one baseline form a line, lines go from the top
/// of the page down, runs within a line from left to right, and a gap wider than a fraction of the
/// font size between two runs becomes a space.
enum PDFPageLayout {
    /// A gap wider than this share of the font size separates words. Kerning stays well below it;
    /// the narrowest word spaces of justified text stay above it.
    static let wordGap = 0.15

    private struct Line {
        var y: Double
        var height: Double
        var runs: [PDFTextRun]
    }

    /// The page's text: lines joined with `\n`, words separated by single spaces, trimmed.
    static func text(of runs: [PDFTextRun]) -> String {
        var lines: [Line] = []
        for run in runs where !run.text.isEmpty {
            let tolerance = 0.4 * max(run.height, 1)
            // Most runs continue the line just written; look there first.
            if let index = lines.lastIndex(where: { abs($0.y - run.y) < tolerance }) {
                lines[index].runs.append(run)
                lines[index].height = max(lines[index].height, run.height)
            } else {
                lines.append(Line(y: run.y, height: run.height, runs: [run]))
            }
        }
        let ordered = lines.enumerated().sorted { first, second in
            first.element.y != second.element.y ? first.element.y > second.element.y : first.offset < second.offset
        }
        let texts = ordered.map { lineText($0.element) }.filter { !$0.isEmpty }
        return texts.joined(separator: "\n")
    }

    private static func lineText(_ line: Line) -> String {
        let runs = line.runs.enumerated().sorted { first, second in
            first.element.x != second.element.x ? first.element.x < second.element.x : first.offset < second.offset
        }.map(\.element)
        var text = ""
        var rightEdge: Double?
        var lastHeight = 0.0
        for run in runs {
            if let edge = rightEdge, run.x - edge > wordGap * max(run.height, lastHeight, 1) { text += " " }
            text += run.text
            // An overlapping run (bold drawn twice, a superscript) does not move the right edge back.
            rightEdge = max(rightEdge ?? run.endX, run.endX)
            lastHeight = run.height
        }
        return normalize(text)
    }

    /// Collapses whitespace to single spaces, expands ligatures, trims.
    static func normalize(_ text: String) -> String {
        var result = ""
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace || scalar.value < 0x20 {
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace {
                result.append(" ")
                pendingSpace = false
            }
            switch scalar.value {
            case 0xFB00: result += "ff"
            case 0xFB01: result += "fi"
            case 0xFB02: result += "fl"
            case 0xFB03: result += "ffi"
            case 0xFB04: result += "ffl"
            case 0xFB05, 0xFB06: result += "st"
            case 0xAD: continue  // a soft hyphen only marks where a word may break
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
