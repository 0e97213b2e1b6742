/// Reads PDF tokens and objects from bytes: the file's syntax and content streams' alike.
struct PDFLexer {
    let bytes: ArraySlice<UInt8>
    var position: Int
    /// Nesting guard: hostile files nest arrays and dictionaries thousands deep.
    private var depth = 0

    /// A token: an object, or a keyword (an operator in content streams, `obj`, `R`, `stream`…).
    enum Token {
        case object(PDFObject)
        case keyword(String)
        case end
    }

    init(_ bytes: ArraySlice<UInt8>, position: Int? = nil) {
        self.bytes = bytes
        self.position = position ?? bytes.startIndex
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 || byte == 0x0C || byte == 0x00
    }

    static func isDelimiter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "["), UInt8(ascii: "]"),
            UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "/"), UInt8(ascii: "%"):
            true
        default: false
        }
    }

    var atEnd: Bool { position >= bytes.endIndex }

    /// Skips blanks and `%` comments.
    mutating func skipWhitespace() {
        while position < bytes.endIndex {
            let byte = bytes[position]
            if Self.isWhitespace(byte) {
                position += 1
            } else if byte == UInt8(ascii: "%") {
                while position < bytes.endIndex, bytes[position] != 0x0A, bytes[position] != 0x0D { position += 1 }
            } else {
                return
            }
        }
    }

    /// The next token; with `references`, `n g R` is read as one reference (the file's syntax;
    /// content streams have none).
    mutating func nextToken(references: Bool = false) throws(PDFError) -> Token {
        skipWhitespace()
        guard position < bytes.endIndex else { return .end }
        let byte = bytes[position]
        switch byte {
        case UInt8(ascii: "("):
            return .object(.string(literalString()))
        case UInt8(ascii: "<"):
            if position + 1 < bytes.endIndex, bytes[position + 1] == UInt8(ascii: "<") {
                position += 2
                return .object(try dictionaryBody(references: references))
            }
            return .object(.string(hexString()))
        case UInt8(ascii: "["):
            position += 1
            return .object(try arrayBody(references: references))
        case UInt8(ascii: "/"):
            return .object(.name(name()))
        case UInt8(ascii: ">"), UInt8(ascii: "]"), UInt8(ascii: ")"), UInt8(ascii: "{"), UInt8(ascii: "}"):
            position += 1
            return .keyword(String(UnicodeScalar(byte)))
        default:
            let word = regularRun()
            if let number = Self.number(word) {
                if references, case .int(let first) = number, let reference = referenceAfter(first) {
                    return .object(.reference(reference))
                }
                return .object(number)
            }
            let text = String(decoding: word, as: UTF8.self)
            switch text {
            case "true": return .object(.bool(true))
            case "false": return .object(.bool(false))
            case "null": return .object(.null)
            default: return .keyword(text)
            }
        }
    }

    /// The next object; a keyword where an object was expected is an error.
    mutating func nextObject(references: Bool = true) throws(PDFError) -> PDFObject {
        switch try nextToken(references: references) {
        case .object(let object): return object
        case .keyword(let word): throw PDFError("expected an object at byte \(position), found \(word.prefix(20).debugDescription)")
        case .end: throw PDFError("unexpected end of data at byte \(position)")
        }
    }

    private mutating func arrayBody(references: Bool) throws(PDFError) -> PDFObject {
        try enter()
        defer { depth -= 1 }
        var items: [PDFObject] = []
        while true {
            switch try nextToken(references: references) {
            case .object(let object): items.append(object)
            case .keyword("]"), .end: return .array(items)
            case .keyword: continue  // stray operators inside arrays of broken files
            }
        }
    }

    private mutating func dictionaryBody(references: Bool) throws(PDFError) -> PDFObject {
        try enter()
        defer { depth -= 1 }
        var entries: [String: PDFObject] = [:]
        while true {
            skipWhitespace()
            guard position < bytes.endIndex else { return .dictionary(entries) }
            if bytes[position] == UInt8(ascii: ">") {
                position += position + 1 < bytes.endIndex && bytes[position + 1] == UInt8(ascii: ">") ? 2 : 1
                return .dictionary(entries)
            }
            guard case .object(.name(let key)) = try nextToken(references: references) else { continue }
            skipWhitespace()
            if position < bytes.endIndex, bytes[position] == UInt8(ascii: ">") { return .dictionary(entries) }
            switch try nextToken(references: references) {
            case .object(let value): entries[key] = value
            case .keyword(">"), .end: return .dictionary(entries)
            case .keyword: continue
            }
        }
    }

    private mutating func enter() throws(PDFError) {
        depth += 1
        if depth > 256 { throw PDFError("objects nested more than 256 deep at byte \(position)") }
    }

    /// After an integer: ` g R` makes it a reference; otherwise the position is left alone.
    private mutating func referenceAfter(_ number: Int) -> PDFReference? {
        let saved = position
        skipWhitespace()
        let generation = regularRun()
        if let generationNumber = Self.number(generation)?.integer, !generation.contains(UInt8(ascii: ".")) {
            skipWhitespace()
            if position < bytes.endIndex, bytes[position] == UInt8(ascii: "R"),
                position + 1 >= bytes.endIndex || Self.isWhitespace(bytes[position + 1]) || Self.isDelimiter(bytes[position + 1])
            {
                position += 1
                return PDFReference(number: number, generation: generationNumber)
            }
        }
        position = saved
        return nil
    }

    /// A run of regular characters (up to whitespace or a delimiter); at least one byte.
    mutating func regularRun() -> ArraySlice<UInt8> {
        let start = position
        while position < bytes.endIndex, !Self.isWhitespace(bytes[position]), !Self.isDelimiter(bytes[position]) {
            position += 1
        }
        if position == start, position < bytes.endIndex { position += 1 }
        return bytes[start..<position]
    }

    /// A number token (`12`, `-3.5`, `.5`, `4.`), or nil.
    static func number(_ word: ArraySlice<UInt8>) -> PDFObject? {
        guard let first = word.first,
            first == UInt8(ascii: "+") || first == UInt8(ascii: "-") || first == UInt8(ascii: ".") || (0x30...0x39).contains(first)
        else { return nil }
        var digits = 0
        var dots = 0
        for (offset, byte) in word.enumerated() {
            switch byte {
            case 0x30...0x39: digits += 1
            case UInt8(ascii: "."): dots += 1
            case UInt8(ascii: "+") where offset == 0: continue
            // A minus anywhere: some producers write `--5` or `1-2`; readers take the sign and the leading number.
            case UInt8(ascii: "-"): continue
            default: return nil
            }
        }
        guard digits > 0, dots <= 1 else { return nil }
        let cleaned = Self.cleanNumber(String(decoding: word, as: UTF8.self))
        if dots == 0, let value = Int(cleaned) { return .int(value) }
        return Double(cleaned).map(PDFObject.real) ?? .int(0)
    }

    private static func cleanNumber(_ text: String) -> String {
        var sign = ""
        var rest = Substring(text)
        while let first = rest.first, first == "-" || first == "+" {
            if first == "-" { sign = "-" }
            rest = rest.dropFirst()
        }
        let body = rest.prefix { $0 != "-" && $0 != "+" }
        let whole = body.hasPrefix(".") ? "0" + body : String(body)
        return sign + (whole.hasSuffix(".") ? whole + "0" : whole)
    }

    private mutating func name() -> String {
        position += 1
        var result: [UInt8] = []
        while position < bytes.endIndex, !Self.isWhitespace(bytes[position]), !Self.isDelimiter(bytes[position]) {
            let byte = bytes[position]
            if byte == UInt8(ascii: "#"), position + 2 < bytes.endIndex,
                let high = Self.hexValue(bytes[position + 1]), let low = Self.hexValue(bytes[position + 2])
            {
                result.append(high << 4 | low)
                position += 3
            } else {
                result.append(byte)
                position += 1
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    private mutating func literalString() -> [UInt8] {
        position += 1
        var result: [UInt8] = []
        var nesting = 1
        while position < bytes.endIndex {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "("):
                nesting += 1
                result.append(byte)
            case UInt8(ascii: ")"):
                nesting -= 1
                if nesting == 0 { return result }
                result.append(byte)
            case UInt8(ascii: "\\"):
                guard position < bytes.endIndex else { return result }
                let escaped = bytes[position]
                position += 1
                switch escaped {
                case UInt8(ascii: "n"): result.append(0x0A)
                case UInt8(ascii: "r"): result.append(0x0D)
                case UInt8(ascii: "t"): result.append(0x09)
                case UInt8(ascii: "b"): result.append(0x08)
                case UInt8(ascii: "f"): result.append(0x0C)
                case 0x0D:
                    if position < bytes.endIndex, bytes[position] == 0x0A { position += 1 }
                case 0x0A:
                    break
                case 0x30...0x37:
                    var value = Int(escaped - 0x30)
                    for _ in 0..<2 where position < bytes.endIndex && (0x30...0x37).contains(bytes[position]) {
                        value = value * 8 + Int(bytes[position] - 0x30)
                        position += 1
                    }
                    result.append(UInt8(truncatingIfNeeded: value))
                default:
                    result.append(escaped)
                }
            default:
                result.append(byte)
            }
        }
        return result
    }

    private mutating func hexString() -> [UInt8] {
        position += 1
        var result: [UInt8] = []
        var high: UInt8?
        while position < bytes.endIndex {
            let byte = bytes[position]
            position += 1
            if byte == UInt8(ascii: ">") { break }
            guard let value = Self.hexValue(byte) else { continue }
            if let pending = high {
                result.append(pending << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        if let pending = high { result.append(pending << 4) }
        return result
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}
