/// The lexical pieces that versions and ranges share: numeric parts and dot-separated identifiers.
///
/// It walks the UTF-8 bytes of the input. Every byte it accepts is ASCII and it stops at the first byte it does not
/// accept, so a byte position is also the scalar position that ``VersionParseError/offset`` promises.
struct SemVerScanner {
    /// What kind of identifiers a list holds, which decides the rules and the wording of errors.
    enum IdentifierKind {
        case prerelease
        case build

        var name: String { self == .prerelease ? "prerelease" : "build metadata" }
        var sigil: Character { self == .prerelease ? "-" : "+" }
    }

    let input: String
    let bytes: [UInt8]
    let code: String
    var position = 0

    init(_ input: String, code: String) {
        self.input = input
        self.bytes = Array(input.utf8)
        self.code = code
    }

    var isAtEnd: Bool { position >= bytes.count }
    var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    func failure(_ message: String, at offset: Int?) -> VersionParseError {
        VersionParseError(code: code, input: input, message: message, offset: offset)
    }

    /// The character at `offset`, quoted and escaped for an error message (`' '`, `'\t'`, `'é'`).
    func quotedCharacter(at offset: Int) -> String {
        guard offset < bytes.count else { return "the end" }
        let index = input.utf8.index(input.utf8.startIndex, offsetBy: offset)
        // Offsets always sit on a scalar boundary (see the type's comment), so this lookup is exact.
        let scalar = input.unicodeScalars[index]
        return "'\(scalar.escaped(asASCII: false))'"
    }

    /// Reads a major, minor or patch number. The caller has checked that `current` is a digit.
    mutating func number(named part: String) throws(VersionParseError) -> Int {
        let start = position
        while let byte = current, SemVerGrammar.isDigit(byte) { position += 1 }
        let digits = bytes[start..<position]
        let text = String(decoding: digits, as: UTF8.self)
        if digits.count > 1 && digits.first == UInt8(ascii: "0") {
            throw failure("\(part) version '\(text)' has a leading zero at offset \(start)", at: start)
        }
        var value = 0
        for digit in digits {
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = shifted.addingReportingOverflow(Int(digit - UInt8(ascii: "0")))
            if overflowA || overflowB {
                throw failure(
                    "\(part) version '\(text)' at offset \(start) is too large; the largest supported number is \(Int.max)",
                    at: start
                )
            }
            value = sum
        }
        return value
    }

    /// Reads the identifiers after a `-` or `+` that the caller has consumed, up to a byte for which `isTerminator` is true.
    mutating func identifiers(
        _ kind: IdentifierKind,
        isTerminator: (UInt8) -> Bool
    ) throws(VersionParseError) -> [String] {
        var identifiers: [String] = []
        while true {
            let start = position
            while let byte = current, SemVerGrammar.isIdentifierByte(byte) { position += 1 }
            if position == start {
                if let byte = current, byte != UInt8(ascii: "."), !isTerminator(byte) {
                    throw invalidCharacter(in: kind)
                }
                if identifiers.isEmpty && current != UInt8(ascii: ".") {
                    throw failure("\(kind.name) after '\(kind.sigil)' is empty at offset \(start)", at: start)
                }
                throw failure("\(kind.name) identifier at offset \(start) is empty", at: start)
            }
            let identifier = String(decoding: bytes[start..<position], as: UTF8.self)
            if kind == .prerelease, SemVerGrammar.hasLeadingZero(identifier) {
                throw failure(
                    "numeric prerelease identifier '\(identifier)' has a leading zero at offset \(start)",
                    at: start
                )
            }
            identifiers.append(identifier)
            guard let byte = current else { return identifiers }
            if byte == UInt8(ascii: ".") {
                position += 1
            } else if isTerminator(byte) {
                return identifiers
            } else {
                throw invalidCharacter(in: kind)
            }
        }
    }

    private func invalidCharacter(in kind: IdentifierKind) -> VersionParseError {
        failure(
            "invalid character \(quotedCharacter(at: position)) in \(kind.name) at offset \(position); "
                + "identifiers use only ASCII letters, digits and '-'",
            at: position
        )
    }
}

/// The character classes of SemVer's grammar, kept in a namespace so that they cannot clash with similar helpers
/// elsewhere in the module.
enum SemVerGrammar {
    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// `[0-9A-Za-z-]`, the only characters SemVer allows in prerelease and build identifiers.
    static func isIdentifierByte(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || byte == UInt8(ascii: "-")
    }

    /// Spaces, tabs and line breaks, which separate the parts of a range.
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }

    /// True for identifiers made only of digits, which SemVer compares as numbers.
    static func isNumeric(_ identifier: String) -> Bool { !identifier.isEmpty && identifier.utf8.allSatisfy(isDigit) }

    /// SemVer forbids `01` as a numeric prerelease identifier but allows `0` and the alphanumeric `0a`.
    static func hasLeadingZero(_ identifier: String) -> Bool {
        identifier.utf8.count > 1 && identifier.utf8.first == UInt8(ascii: "0") && isNumeric(identifier)
    }

    static func isValidIdentifier(_ identifier: String, _ kind: SemVerScanner.IdentifierKind) -> Bool {
        guard !identifier.isEmpty, identifier.utf8.allSatisfy(isIdentifierByte) else { return false }
        return kind == .build || !hasLeadingZero(identifier)
    }
}
