/// A cursor over the ASCII bytes of a date-time string, for the ISO 8601 and RFC 2822 readers.
struct DatetimeText {
    let bytes: [UInt8]
    var index = 0

    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    var atEnd: Bool { index == bytes.count }
    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    /// Consumes `character` (case-insensitively for letters) when it is next.
    mutating func take(_ character: Character) -> Bool {
        guard let byte = peek, let ascii = character.asciiValue, Self.lower(byte) == Self.lower(ascii) else { return false }
        index += 1
        return true
    }

    /// Consumes exactly `count` digits and returns their value.
    mutating func digits(_ count: Int) -> Int? {
        guard index + count <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[index..<(index + count)] {
            guard (0x30...0x39).contains(byte) else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        index += count
        return value
    }

    /// Consumes a run of `range` digits (at least `range.lowerBound`, at most `range.upperBound`).
    mutating func digits(_ range: ClosedRange<Int>) -> (value: Int, count: Int)? {
        var count = 0
        var value = 0
        while count < range.upperBound, let byte = peek, (0x30...0x39).contains(byte) {
            value = value * 10 + Int(byte - 0x30)
            count += 1
            index += 1
        }
        return count >= range.lowerBound ? (value, count) : nil
    }

    /// Consumes a run of ASCII letters.
    mutating func letters() -> String {
        let start = index
        while let byte = peek, (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) { index += 1 }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// Skips spaces and tabs; returns whether there were any.
    @discardableResult
    mutating func skipSpaces() -> Bool {
        let start = index
        while let byte = peek, byte == 0x20 || byte == 0x09 { index += 1 }
        return index > start
    }

    private static func lower(_ byte: UInt8) -> UInt8 {
        (0x41...0x5A).contains(byte) ? byte + 0x20 : byte
    }
}

/// A date-time as read from text: the wall clock, and the UTC offset when the text has one.
struct ParsedDatetime: Equatable {
    var local: LocalDateTime
    var offsetSeconds: Int?
}
