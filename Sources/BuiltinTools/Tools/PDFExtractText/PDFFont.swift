/// What a font tells text extraction: how its strings split into codes, the text of each code,
/// and each code's advance width.
final class PDFFont: Sendable {
    /// One decoded code of a shown string.
    struct Glyph {
        var text: String
        /// Advance in text space units per unit of font size (glyph width / 1000 for most fonts).
        var width: Double
        /// A single-byte code 32, to which word spacing (`Tw`) applies.
        var isSpaceCode: Bool
    }

    private let composite: Bool
    private let toUnicode: PDFCMap?
    /// For composite fonts: the embedded encoding CMap (code lengths, CIDs), if any.
    private let encodingCMap: PDFCMap?
    /// For composite fonts with a predefined UCS-2/UTF-16 encoding: codes are Unicode already.
    private let codesAreUnicode: Bool
    private let simpleEncoding: [String?]
    private let widths: [UInt32: Double]
    private let defaultWidth: Double
    private let widthScale: Double

    /// A font extraction knows nothing about: codes read as StandardEncoding, widths half an em.
    static let fallback = PDFFont()

    private init() {
        composite = false
        toUnicode = nil
        encodingCMap = nil
        codesAreUnicode = false
        simpleEncoding = PDFEncodingTables.standard.map { $0 == 0 ? nil : Unicode.Scalar($0).map { String($0) } }
        widths = [:]
        defaultWidth = 500
        widthScale = 0.001
    }

    /// Reads the font dictionary `font` of `document`.
    init(_ font: [String: PDFObject], in document: PDFDocument) {
        let subtype = document.value(font, "Subtype").name ?? "Type1"
        composite = subtype == "Type0"
        if case .stream(let stream) = document.value(font, "ToUnicode"), let data = try? document.decodedData(stream) {
            toUnicode = PDFCMap(parsing: data)
        } else {
            toUnicode = nil
        }
        let encoding = document.value(font, "Encoding")
        if composite {
            let descendant = document.resolve(document.value(font, "DescendantFonts").array?.first ?? .null).dictionary ?? [:]
            if case .stream(let stream) = encoding, let data = try? document.decodedData(stream) {
                encodingCMap = PDFCMap(parsing: data)
            } else {
                encodingCMap = nil
            }
            let encodingName = encoding.name ?? ""
            codesAreUnicode = encodingName.contains("UCS2") || encodingName.contains("UTF16")
            simpleEncoding = []
            (widths, defaultWidth) = Self.compositeWidths(descendant, in: document)
            widthScale = 0.001
        } else {
            encodingCMap = nil
            codesAreUnicode = false
            simpleEncoding = Self.simpleEncoding(font, encoding: encoding, subtype: subtype, in: document)
            let matrix = document.value(font, "FontMatrix").array?.compactMap { document.resolve($0).number }
            widthScale = subtype == "Type3" ? abs(matrix?.first ?? 0.001) : 0.001
            (widths, defaultWidth) = Self.simpleWidths(font, in: document)
        }
    }

    /// Splits `bytes` into codes and decodes each.
    func glyphs(_ bytes: [UInt8]) -> [Glyph] {
        var glyphs: [Glyph] = []
        var index = 0
        while index < bytes.count {
            let length: Int
            if composite {
                length = encodingCMap?.codeLength(in: bytes, at: index) ?? (codesAreUnicode ? 2 : toUnicode?.codeLength(in: bytes, at: index) ?? 2)
            } else {
                length = 1
            }
            let end = min(index + length, bytes.count)
            let code = PDFCMap.code(bytes[index..<end])
            index = end
            glyphs.append(Glyph(text: text(code, length: length), width: width(code, length: length), isSpaceCode: length == 1 && code == 32))
        }
        return glyphs
    }

    private func text(_ code: UInt32, length: Int) -> String {
        if let text = toUnicode?.text(for: code, length: length) { return text.filter { $0 != "\0" } }
        if composite {
            guard codesAreUnicode, let scalar = Unicode.Scalar(code) else { return "" }
            return String(scalar)
        }
        return code < 256 ? simpleEncoding[Int(code)] ?? "" : ""
    }

    private func width(_ code: UInt32, length: Int) -> Double {
        let key = composite ? (encodingCMap?.cid(for: code, length: length) ?? code) : code
        return (widths[key] ?? defaultWidth) * widthScale
    }

    // MARK: - Reading the font dictionary

    private static func simpleEncoding(_ font: [String: PDFObject], encoding: PDFObject, subtype: String, in document: PDFDocument) -> [String?] {
        let baseName = encoding.name ?? document.value(encoding.dictionary, "BaseEncoding").name
        let table: [UInt16] =
            switch baseName {
            case "WinAnsiEncoding": PDFEncodingTables.winAnsi
            case "MacRomanEncoding": PDFEncodingTables.macRoman
            case "StandardEncoding": PDFEncodingTables.standard
            // Without a base, Type 1 fonts use their built-in encoding (usually Standard);
            // TrueType fonts in practice behave as WinAnsi.
            default: subtype == "TrueType" ? PDFEncodingTables.winAnsi : PDFEncodingTables.standard
            }
        var result: [String?] = table.map { $0 == 0 ? nil : Unicode.Scalar($0).map { String($0) } }
        if let differences = document.value(encoding.dictionary, "Differences").array {
            var code = 0
            for item in differences {
                switch document.resolve(item) {
                case .int(let value): code = min(max(value, -1), 256)
                case .name(let name):
                    if (0..<256).contains(code) { result[code] = PDFGlyphNames.text(for: name) ?? result[code] }
                    code = min(code + 1, 256)
                default: continue
                }
            }
        }
        return result
    }

    private static func simpleWidths(_ font: [String: PDFObject], in document: PDFDocument) -> ([UInt32: Double], Double) {
        var widths: [UInt32: Double] = [:]
        let descriptor = document.value(font, "FontDescriptor").dictionary
        let missing = document.value(descriptor, "MissingWidth").number
        if let list = document.value(font, "Widths").array {
            let first = min(max(document.value(font, "FirstChar").integer ?? 0, 0), 1 << 16)
            for (offset, item) in list.prefix(1 << 16).enumerated() {
                if let width = document.resolve(item).number { widths[UInt32(clamping: first + offset)] = width }
            }
            return (widths, missing ?? 500)
        }
        if let standard = PDFStandardFontWidths.asciiWidths(forBaseFont: document.value(font, "BaseFont").name ?? "") {
            for (offset, width) in standard.enumerated() { widths[UInt32(32 + offset)] = Double(width) }
        }
        return (widths, missing ?? 500)
    }

    private static func compositeWidths(_ descendant: [String: PDFObject], in document: PDFDocument) -> ([UInt32: Double], Double) {
        var widths: [UInt32: Double] = [:]
        let items = document.value(descendant, "W").array?.map { document.resolve($0) } ?? []
        var index = 0
        while index + 1 < items.count, widths.count < 200_000 {
            guard let first = items[index].integer, first >= 0, first < 1 << 24 else { break }
            if let list = items[index + 1].array {
                for (offset, item) in list.prefix(1 << 16).enumerated() {
                    if let width = document.resolve(item).number { widths[UInt32(clamping: first + offset)] = width }
                }
                index += 2
            } else if index + 2 < items.count, let last = items[index + 1].integer, let width = items[index + 2].number {
                if last >= first, last - first < 100_000 {
                    for cid in first...last { widths[UInt32(clamping: cid)] = width }
                }
                index += 3
            } else {
                break
            }
        }
        return (widths, document.value(descendant, "DW").number ?? 1000)
    }
}
