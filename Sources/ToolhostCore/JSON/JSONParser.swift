/// A byte-level, recursive-descent RFC 8259 parser over a borrowed UTF-8 buffer.
///
/// It works on raw bytes rather than `Character`s because grapheme breaking is needless work for JSON,
/// and it reports failures as values (not throws) so the hot loops stay free of error plumbing.
struct JSONParser {
    /// Deeper documents are rejected so that recursion cannot exhaust the stack of a small thread.
    static let maximumDepth = 512

    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0
    private var depth = 0
    private var failure: JSONParseError?

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    mutating func parseDocument() -> Result<JSONValue, JSONParseError> {
        skipWhitespace()
        guard let value = parseValue() else { return .failure(failure!) }
        skipWhitespace()
        if position < bytes.count {
            fail("unexpected \(describeByte(at: position)) after the JSON value")
            return .failure(failure!)
        }
        return .success(value)
    }

    // MARK: Values

    private mutating func parseValue() -> JSONValue? {
        guard position < bytes.count else {
            fail("unexpected end of input, expected a value")
            return nil
        }
        switch bytes[position] {
        case UInt8(ascii: "{"): return parseObject()
        case UInt8(ascii: "["): return parseArray()
        case UInt8(ascii: "\""): return parseString().map(JSONValue.string)
        case UInt8(ascii: "t"): return parseLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return parseLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return parseLiteral("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return parseNumber()
        default:
            fail("unexpected \(describeByte(at: position)), expected a value")
            return nil
        }
    }

    private mutating func parseLiteral(_ word: StaticString, _ value: JSONValue) -> JSONValue? {
        let count = word.utf8CodeUnitCount
        let start = position
        for index in 0..<count {
            guard start + index < bytes.count, bytes[start + index] == word.utf8Start[index] else {
                position = start + index
                fail("invalid literal, expected '\(word)'")
                return nil
            }
        }
        position += count
        return value
    }

    private mutating func parseObject() -> JSONValue? {
        guard enterContainer() else { return nil }
        defer { depth -= 1 }
        position += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            guard peek() == UInt8(ascii: "\"") else {
                fail(position < bytes.count ? "expected a string key in object" : "unexpected end of input inside object")
                return nil
            }
            guard let key = parseString() else { return nil }
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else {
                fail("expected ':' after object key")
                return nil
            }
            position += 1
            skipWhitespace()
            guard let value = parseValue() else { return nil }
            members[key] = value
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","):
                position += 1
                skipWhitespace()
            case UInt8(ascii: "}"):
                position += 1
                return .object(members)
            default:
                fail(position < bytes.count ? "expected ',' or '}' after object member" : "unexpected end of input inside object")
                return nil
            }
        }
    }

    private mutating func parseArray() -> JSONValue? {
        guard enterContainer() else { return nil }
        defer { depth -= 1 }
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            guard let value = parseValue() else { return nil }
            elements.append(value)
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","):
                position += 1
                skipWhitespace()
            case UInt8(ascii: "]"):
                position += 1
                return .array(elements)
            default:
                fail(position < bytes.count ? "expected ',' or ']' after array element" : "unexpected end of input inside array")
                return nil
            }
        }
    }

    private mutating func enterContainer() -> Bool {
        depth += 1
        if depth > Self.maximumDepth {
            fail("nesting deeper than \(Self.maximumDepth) levels")
            return false
        }
        return true
    }

    // MARK: Numbers

    private mutating func parseNumber() -> JSONValue? {
        let start = position
        var isInteger = true
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard let first = peek(), isDigit(first) else {
            fail("expected a digit in number")
            return nil
        }
        if first == UInt8(ascii: "0") {
            position += 1
            if let next = peek(), isDigit(next) {
                fail("leading zeros are not allowed in numbers")
                return nil
            }
        } else {
            skipDigits()
        }
        if peek() == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard let next = peek(), isDigit(next) else {
                fail("expected a digit after the decimal point")
                return nil
            }
            skipDigits()
        }
        if let marker = peek(), marker == UInt8(ascii: "e") || marker == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { position += 1 }
            guard let next = peek(), isDigit(next) else {
                fail("expected a digit in the exponent")
                return nil
            }
            skipDigits()
        }
        let slice = UnsafeBufferPointer(rebasing: bytes[start..<position])
        if isInteger, let value = parseInteger(slice) { return .int(value) }
        // The grammar was checked above, so strtod-backed Double(_:) sees only valid text.
        guard let value = Double(String(decoding: slice, as: UTF8.self)), value.isFinite else {
            position = start
            fail("number is too large to represent")
            return nil
        }
        return .double(value)
    }

    /// Parses an already-validated integer, or returns nil when it does not fit in `Int`.
    private func parseInteger(_ digits: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0
        let negative = digits[0] == UInt8(ascii: "-")
        if negative { index = 1 }
        var value = 0
        while index < digits.count {
            let digit = Int(digits[index] &- UInt8(ascii: "0"))
            let (scaled, overflow1) = value.multipliedReportingOverflow(by: 10)
            // Accumulate negatively so that Int.min, whose magnitude exceeds Int.max, still fits.
            let (next, overflow2) = scaled.subtractingReportingOverflow(digit)
            if overflow1 || overflow2 { return nil }
            value = next
            index += 1
        }
        if negative { return value }
        return value == Int.min ? nil : -value
    }

    private mutating func skipDigits() {
        while let byte = peek(), isDigit(byte) { position += 1 }
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    // MARK: Strings

    private mutating func parseString() -> String? {
        position += 1
        let start = position
        // Fast path: no escapes, so the bytes can be validated and copied in one go.
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<position])
                guard let string = String(validating: slice, as: UTF8.self) else {
                    position = start
                    fail("string is not valid UTF-8")
                    return nil
                }
                position += 1
                return string
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 {
                fail("unescaped control character in string")
                return nil
            }
            position += 1
        }
        guard position < bytes.count else {
            fail("unterminated string")
            return nil
        }
        var buffer = Array(UnsafeBufferPointer(rebasing: bytes[start..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                guard let string = String(validating: buffer, as: UTF8.self) else {
                    position = start
                    fail("string is not valid UTF-8")
                    return nil
                }
                position += 1
                return string
            }
            if byte < 0x20 {
                fail("unescaped control character in string")
                return nil
            }
            if byte != UInt8(ascii: "\\") {
                buffer.append(byte)
                position += 1
                continue
            }
            guard parseEscape(into: &buffer) else { return nil }
        }
        fail("unterminated string")
        return nil
    }

    private mutating func parseEscape(into buffer: inout [UInt8]) -> Bool {
        position += 1
        guard let byte = peek() else {
            fail("unterminated string")
            return false
        }
        position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(byte)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            guard var code = parseHex4() else { return false }
            if (0xD800...0xDBFF).contains(code) {
                // A high surrogate must be followed by an escaped low surrogate; Swift strings cannot hold halves.
                guard peek() == UInt8(ascii: "\\"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u") else {
                    fail("unpaired UTF-16 surrogate in \\u escape")
                    return false
                }
                position += 2
                guard let low = parseHex4() else { return false }
                guard (0xDC00...0xDFFF).contains(low) else {
                    position -= 6
                    fail("unpaired UTF-16 surrogate in \\u escape")
                    return false
                }
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(code) {
                position -= 6
                fail("unpaired UTF-16 surrogate in \\u escape")
                return false
            }
            buffer.append(contentsOf: Unicode.UTF8.encode(Unicode.Scalar(code)!)!)
        default:
            position -= 1
            fail("invalid escape sequence '\\\(Unicode.Scalar(byte))'")
            return false
        }
        return true
    }

    private mutating func parseHex4() -> UInt32? {
        var code: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = peek() else {
                fail("unterminated \\u escape")
                return nil
            }
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default:
                fail("invalid hex digit in \\u escape")
                return nil
            }
            code = code << 4 | UInt32(digit)
            position += 1
        }
        return code
    }

    // MARK: Helpers

    private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private func describeByte(at offset: Int) -> String {
        let byte = bytes[offset]
        if byte >= 0x20 && byte < 0x7F { return "character '\(Unicode.Scalar(byte))'" }
        return "byte 0x" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16, uppercase: true)
    }

    /// Records the first failure at the current position; line and column are computed only now, on the error path.
    private mutating func fail(_ message: String) {
        guard failure == nil else { return }
        let offset = min(position, bytes.count)
        var line = 1
        var column = 1
        for index in 0..<offset {
            let byte = bytes[index]
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        failure = JSONParseError(message: message, line: line, column: column, offset: offset)
    }
}
