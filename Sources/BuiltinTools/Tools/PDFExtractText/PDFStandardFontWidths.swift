/// Advance widths of the standard 14 fonts that PDFs use without embedding or `/Widths`
/// (Helvetica, Times, Courier and their styles), for spacing decisions.
enum PDFStandardFontWidths {
    /// Widths in 1/1000 em of the codes 32…126 of the named font, or nil when it is not a standard
    /// font; Courier's are all 600, Oblique/Italic styles share their upright widths closely enough.
    static func asciiWidths(forBaseFont name: String) -> [UInt16]? {
        // Subset fonts are named `ABCDEF+Helvetica`.
        let plain = name.split(separator: "+").last.map(String.init) ?? name
        let lower = plain.lowercased()
        let bold = lower.contains("bold") || lower.contains("black") || lower.contains("heavy")
        if lower.hasPrefix("courier") || lower.contains("mono") { return [UInt16](repeating: 600, count: 95) }
        if lower.hasPrefix("helvetica") || lower.hasPrefix("arial") { return bold ? helveticaBold : helvetica }
        if lower.hasPrefix("times") { return bold ? timesBold : timesRoman }
        return nil
    }

    // Widths of ASCII 32…126 in 1/1000 em, from the fonts' AFM metrics.
    static let helvetica: [UInt16] = [
        278, 278, 355, 556, 556, 889, 667, 222, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
        556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
        611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
        667, 611, 278, 278, 278, 333, 556, 222, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
        222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 333,
    ]
    static let helveticaBold: [UInt16] = [
        278, 333, 474, 556, 556, 889, 722, 278, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
        556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667,
        611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
        667, 611, 333, 278, 333, 333, 556, 278, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556,
        278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 333,
    ]
    static let timesRoman: [UInt16] = [
        250, 333, 408, 500, 500, 833, 778, 333, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500,
        500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611,
        556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722,
        722, 611, 333, 278, 333, 333, 500, 333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500,
        278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 333,
    ]
    static let timesBold: [UInt16] = [
        250, 333, 555, 500, 500, 1000, 833, 333, 333, 333, 500, 570, 250, 333, 250, 278, 500, 500, 500,
        500, 500, 500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500, 930, 722, 667, 722, 722, 667,
        611, 778, 778, 389, 500, 778, 667, 944, 722, 778, 611, 778, 722, 556, 667, 722, 722, 1000, 722,
        722, 667, 333, 278, 333, 333, 500, 333, 500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556,
        278, 833, 556, 500, 556, 556, 444, 389, 333, 556, 500, 722, 500, 500, 444, 394, 220, 394, 333,
    ]
}
