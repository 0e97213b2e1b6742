extension HTMLText {
    /// `text` with every character reference decoded.
    static func decodeReferences(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var result = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if scalars[index] == "&" {
                let (decoded, next) = decodeReference(in: scalars, at: index)
                result.append(contentsOf: decoded.unicodeScalars)
                index = next
            } else {
                result.append(scalars[index])
                index += 1
            }
        }
        return String(result)
    }

    /// Decodes the character reference at `start` (an `&`) as the HTML parser does in text:
    /// numeric references with or without `;`, named ones by the longest known name (legacy names
    /// also without `;`). Returns the text and the index after the reference; a lone `&` is itself.
    static func decodeReference(in scalars: [Unicode.Scalar], at start: Int) -> (String, Int) {
        var index = start + 1
        guard index < scalars.count else { return ("&", index) }
        if scalars[index] == "#" {
            index += 1
            let hex = index < scalars.count && (scalars[index] == "x" || scalars[index] == "X")
            if hex { index += 1 }
            let digitsStart = index
            var value: UInt32 = 0
            while index < scalars.count, let digit = Int(String(scalars[index]), radix: hex ? 16 : 10), scalars[index].isASCII {
                value = min(0x110000, value * (hex ? 16 : 10) + UInt32(digit))
                index += 1
            }
            guard index > digitsStart else { return ("&", start + 1) }
            if index < scalars.count && scalars[index] == ";" { index += 1 }
            return (String(numericReference(value)), index)
        }
        var nameEnd = index
        while nameEnd < scalars.count, nameEnd - index < HTMLEntityTable.longestName,
              scalars[nameEnd].isASCII, scalars[nameEnd].properties.isAlphabetic || ("0"..."9").contains(scalars[nameEnd]) {
            nameEnd += 1
        }
        let name = String(String.UnicodeScalarView(scalars[index..<nameEnd]))
        if nameEnd < scalars.count && scalars[nameEnd] == ";", let value = HTMLEntityTable.byName[Substring(name + ";")] {
            return (value, nameEnd + 1)
        }
        // Legacy names match as the longest prefix: `&copy2024` is `©2024`.
        var length = name.count
        while length >= 2 {
            if let value = HTMLEntityTable.byName[Substring(name.prefix(length))] {
                return (value, index + length)
            }
            length -= 1
        }
        return ("&", start + 1)
    }

    /// The character a numeric reference stands for: U+FFFD for 0, surrogates and values beyond
    /// Unicode; 0x80–0x9F as in windows-1252, which is what such pages meant.
    static func numericReference(_ value: UInt32) -> Unicode.Scalar {
        if (0x80...0x9F).contains(value), let mapped = windows1252High[Int(value - 0x80)] { return mapped }
        guard value != 0, let scalar = Unicode.Scalar(value) else { return "\u{FFFD}" }
        return scalar
    }

    /// windows-1252's bytes 0x80–0x9F; nil where it keeps the C1 control.
    static let windows1252High: [Unicode.Scalar?] = [
        "\u{20AC}", nil, "\u{201A}", "\u{0192}", "\u{201E}", "\u{2026}", "\u{2020}", "\u{2021}",
        "\u{02C6}", "\u{2030}", "\u{0160}", "\u{2039}", "\u{0152}", nil, "\u{017D}", nil,
        nil, "\u{2018}", "\u{2019}", "\u{201C}", "\u{201D}", "\u{2022}", "\u{2013}", "\u{2014}",
        "\u{02DC}", "\u{2122}", "\u{0161}", "\u{203A}", "\u{0153}", nil, "\u{017E}", "\u{0178}",
    ]
}
