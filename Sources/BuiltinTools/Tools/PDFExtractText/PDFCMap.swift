/// A CMap (PDF 32000-1 §9.7.5, §9.10.3): how a font's string bytes split into codes, and what
/// Unicode text (ToUnicode: `bfchar`/`bfrange`) or CID (an embedded encoding: `cidchar`/`cidrange`)
/// each code means.
struct PDFCMap {
    /// Codespace ranges: byte length, low and high code.
    var codespaces: [(length: Int, low: UInt32, high: UInt32)] = []
    /// Text of each code, keyed by ``key(_:length:)``.
    var unicode: [UInt64: String] = [:]
    /// Ranges of `bfrange` kept as ranges (a range can cover 65,536 codes).
    var unicodeRanges: [(length: Int, low: UInt32, high: UInt32, start: [UInt16])] = []
    var cids: [UInt64: UInt32] = [:]
    var cidRanges: [(length: Int, low: UInt32, high: UInt32, start: UInt32)] = []

    static func key(_ code: UInt32, length: Int) -> UInt64 { UInt64(length) << 32 | UInt64(code) }

    /// Parses CMap program text; unknown parts are skipped.
    init(parsing data: [UInt8]) {
        var lexer = PDFLexer(data[...])
        var operands: [PDFObject] = []
        var section: String?
        var steps = 0
        while steps < 2_000_000, let token = try? lexer.nextToken() {
            steps += 1
            switch token {
            case .end:
                return
            case .object(let object):
                operands.append(object)
            case .keyword(let word):
                switch word {
                case "begincodespacerange", "beginbfchar", "beginbfrange", "begincidchar", "begincidrange":
                    section = word
                    operands = []
                case "endcodespacerange", "endbfchar", "endbfrange", "endcidchar", "endcidrange":
                    if let section { apply(section, operands) }
                    section = nil
                    operands = []
                default:
                    if section == nil { operands = [] }
                }
            }
        }
    }

    private mutating func apply(_ section: String, _ operands: [PDFObject]) {
        switch section {
        case "begincodespacerange":
            for pair in stride(from: 0, to: operands.count - 1, by: 2) {
                guard let low = operands[pair].bytes, let high = operands[pair + 1].bytes, !low.isEmpty, low.count <= 4 else { continue }
                codespaces.append((low.count, Self.code(low), Self.code(high)))
            }
        case "beginbfchar":
            for pair in stride(from: 0, to: operands.count - 1, by: 2) {
                guard let source = operands[pair].bytes, !source.isEmpty, source.count <= 4 else { continue }
                unicode[Self.key(Self.code(source), length: source.count)] = Self.text(operands[pair + 1])
            }
        case "beginbfrange":
            for triple in stride(from: 0, to: operands.count - 2, by: 3) {
                guard let lowBytes = operands[triple].bytes, let highBytes = operands[triple + 1].bytes,
                    !lowBytes.isEmpty, lowBytes.count <= 4
                else { continue }
                let low = Self.code(lowBytes), high = Self.code(highBytes)
                guard high >= low else { continue }
                switch operands[triple + 2] {
                case .array(let targets):
                    for (offset, target) in targets.enumerated() where UInt32(offset) <= high - low {
                        unicode[Self.key(low + UInt32(offset), length: lowBytes.count)] = Self.text(target)
                    }
                case .string(let start):
                    unicodeRanges.append((lowBytes.count, low, high, Self.utf16(start)))
                default:
                    continue
                }
            }
        case "begincidchar":
            for pair in stride(from: 0, to: operands.count - 1, by: 2) {
                guard let source = operands[pair].bytes, !source.isEmpty, source.count <= 4, let cid = operands[pair + 1].integer else { continue }
                cids[Self.key(Self.code(source), length: source.count)] = UInt32(clamping: cid)
            }
        case "begincidrange":
            for triple in stride(from: 0, to: operands.count - 2, by: 3) {
                guard let low = operands[triple].bytes, let high = operands[triple + 1].bytes, !low.isEmpty, low.count <= 4,
                    let cid = operands[triple + 2].integer
                else { continue }
                cidRanges.append((low.count, Self.code(low), Self.code(high), UInt32(clamping: cid)))
            }
        default:
            break
        }
    }

    /// The text of a code, if the CMap maps it.
    func text(for code: UInt32, length: Int) -> String? {
        if let text = unicode[Self.key(code, length: length)] { return text }
        for range in unicodeRanges where range.length == length && range.low <= code && code <= range.high {
            var units = range.start
            guard !units.isEmpty else { return nil }
            // The last code unit counts up through the range (§9.10.3).
            units[units.count - 1] = units[units.count - 1] &+ UInt16(truncatingIfNeeded: code - range.low)
            return String(decoding: units, as: UTF16.self)
        }
        return nil
    }

    /// The CID of a code under an embedded encoding CMap, if it maps it.
    func cid(for code: UInt32, length: Int) -> UInt32? {
        if let cid = cids[Self.key(code, length: length)] { return cid }
        for range in cidRanges where range.length == length && range.low <= code && code <= range.high {
            return range.start &+ (code - range.low)
        }
        return nil
    }

    /// The byte length of the code starting at `bytes[index]`, by the codespace ranges (nil when there are none).
    func codeLength(in bytes: [UInt8], at index: Int) -> Int? {
        guard !codespaces.isEmpty else { return nil }
        for length in 1...4 where index + length <= bytes.count {
            let code = Self.code(bytes[index..<(index + length)])
            if codespaces.contains(where: { $0.length == length && $0.low <= code && code <= $0.high }) { return length }
        }
        return codespaces.map(\.length).min()
    }

    static func code<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> UInt32 {
        bytes.prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
    }

    private static func utf16(_ bytes: [UInt8]) -> [UInt16] {
        stride(from: 0, to: bytes.count - 1, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
            + (bytes.count % 2 == 1 ? [UInt16(bytes[bytes.count - 1])] : [])
    }

    private static func text(_ object: PDFObject) -> String? {
        switch object {
        case .string(let bytes): String(decoding: utf16(bytes), as: UTF16.self)
        case .name(let name): PDFGlyphNames.text(for: name)
        default: nil
        }
    }
}

/// Glyph names to text, for `/Differences` and name targets in CMaps (the Adobe Glyph List rules).
enum PDFGlyphNames {
    /// The text of a glyph name: from the table, `uniXXXX…`, `uXXXX[XX]`, ligatures and
    /// `a_b` compounds; a `.suffix` (small caps, alternates) is ignored.
    static func text(for name: String) -> String? {
        let base = name.split(separator: ".", maxSplits: 1).first.map(String.init) ?? name
        if base.contains("_") {
            let parts = base.split(separator: "_").map { text(for: String($0)) }
            guard parts.allSatisfy({ $0 != nil }) else { return nil }
            return parts.compactMap { $0 }.joined()
        }
        switch base {
        case "ff": return "ff"
        case "fi": return "fi"
        case "fl": return "fl"
        case "ffi": return "ffi"
        case "ffl": return "ffl"
        default: break
        }
        if let value = PDFEncodingTables.glyphNames[base], let scalar = Unicode.Scalar(value) { return String(scalar) }
        if base.hasPrefix("uni"), base.count >= 7, (base.count - 3) % 4 == 0 {
            let hex = Array(base.dropFirst(3))
            let units = stride(from: 0, to: hex.count, by: 4).compactMap { UInt16(String(hex[$0..<($0 + 4)]), radix: 16) }
            if units.count == hex.count / 4 { return String(decoding: units, as: UTF16.self) }
        }
        if base.hasPrefix("u"), (5...7).contains(base.count), let value = UInt32(base.dropFirst(), radix: 16),
            let scalar = Unicode.Scalar(value)
        {
            return String(scalar)
        }
        return nil
    }
}
