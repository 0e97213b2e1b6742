import Foundation

/// A JSON Schema `pattern`: an ECMA-262 regular expression, translated to ICU syntax and compiled once.
///
/// ICU (behind `NSRegularExpression`) differs from ECMA-262 where schemas notice: `\d` and `\w` are
/// Unicode-aware in ICU but ASCII-only in ECMA-262, `$` also matches before a final newline in ICU, and
/// `[]`/`[^]` mean "nothing"/"anything" only in ECMA-262. ``ECMARegexTranslator`` rewrites those.
struct ECMARegex: @unchecked Sendable {
    // @unchecked: NSRegularExpression is immutable after creation and documented as safe to share between threads.
    let source: String
    private let regex: NSRegularExpression

    /// Compiles an ECMA-262 pattern.
    /// - Throws: ``ECMARegexError`` naming the problem when the pattern is not valid.
    init(_ source: String) throws(ECMARegexError) {
        self.source = source
        let translated = try ECMARegexTranslator.translate(source, strict: false)
        do {
            regex = try NSRegularExpression(pattern: translated, options: [])
        } catch {
            throw ECMARegexError(message: "not a valid regular expression")
        }
    }

    /// Whether the pattern matches anywhere in `string` (patterns are not implicitly anchored).
    func matches(_ string: String) -> Bool {
        let range = NSRange(location: 0, length: string.utf16.count)
        return regex.rangeOfFirstMatch(in: string, options: [], range: range).location != NSNotFound
    }

    /// Whether `source` is a valid ECMA-262 pattern, rejecting ICU/Perl/Python-only syntax (for `format: "regex"`).
    static func isValidECMAScript(_ source: String) -> Bool {
        guard let translated = try? ECMARegexTranslator.translate(source, strict: true) else { return false }
        return (try? NSRegularExpression(pattern: translated, options: [])) != nil
    }
}

/// Why a pattern did not compile.
struct ECMARegexError: Error {
    var message: String
}

/// Rewrites ECMA-262 pattern syntax into the equivalent ICU syntax.
enum ECMARegexTranslator {
    static let whitespace = #"\t\n\x{0B}\f\r \x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}"#
    static let lineTerminators = #"\n\r\x{2028}\x{2029}"#
    /// Letters that may follow "\" in ECMA-262 with the "u" flag; any other letter escape is a syntax error there.
    static let escapeLetters = Set("dDwWsSbBfnrtvcxupPk")

    static func translate(_ pattern: String, strict: Bool) throws(ECMARegexError) -> String {
        let scalars = Array(pattern.unicodeScalars)
        var output = ""
        var index = 0
        var inClass = false
        // For each open group, whether it is a lookbehind: ICU needs those bounded, ECMA-262 does not.
        var groups: [Bool] = []
        func peek(_ offset: Int) -> Unicode.Scalar? { index + offset < scalars.count ? scalars[index + offset] : nil }

        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case "\\":
                guard let next = peek(1) else { throw ECMARegexError(message: "pattern ends with a lone backslash") }
                index += 2
                try translateEscape(next, scalars: scalars, index: &index, inClass: inClass, strict: strict, into: &output)
                continue
            case "[" where !inClass:
                if peek(1) == "]" {
                    output += "(?!)"
                    index += 2
                    continue
                }
                if peek(1) == "^", peek(2) == "]" {
                    output += #"[\x{0}-\x{10FFFF}]"#
                    index += 3
                    continue
                }
                inClass = true
                output += "["
                if peek(1) == "^" {
                    output += "^"
                    index += 1
                }
            case "]" where inClass:
                inClass = false
                output += "]"
            case "[" where inClass, "&" where inClass, "~" where inClass:
                // Literal in ECMA-262 classes but set syntax in ICU classes.
                output += "\\" + String(scalar)
            case "$" where !inClass:
                output += #"\z"#
            case "." where !inClass:
                output += "[^" + lineTerminators + "]"
            case "(" where !inClass:
                if strict && peek(1) == "?" {
                    // ECMA-262 groups: (?:, (?=, (?!, (?<=, (?<!, (?<name>. No inline flags, comments or (?P.
                    guard let kind = peek(2), ":=!<".unicodeScalars.contains(kind) else {
                        throw ECMARegexError(message: "unsupported group syntax")
                    }
                }
                groups.append(peek(1) == "?" && peek(2) == "<" && (peek(3) == "=" || peek(3) == "!"))
                output += "("
            case ")" where !inClass:
                if !groups.isEmpty { groups.removeLast() }
                output += ")"
            case "*" where !inClass && groups.contains(true):
                output += "{0,255}"
            case "+" where !inClass && groups.contains(true):
                output += "{1,255}"
            default:
                output.unicodeScalars.append(scalar)
            }
            index += 1
        }
        if inClass { throw ECMARegexError(message: "unterminated character class") }
        return output
    }

    private static func translateEscape(
        _ letter: Unicode.Scalar,
        scalars: [Unicode.Scalar],
        index: inout Int,
        inClass: Bool,
        strict: Bool,
        into output: inout String
    ) throws(ECMARegexError) {
        switch letter {
        case "d": output += "[0-9]"
        case "D": output += "[^0-9]"
        case "w": output += "[a-zA-Z0-9_]"
        case "W": output += "[^a-zA-Z0-9_]"
        case "s": output += "[" + whitespace + "]"
        case "S": output += "[^" + whitespace + "]"
        case "b" where inClass: output += #"\x{8}"#
        case "v": output += #"\x{B}"#
        case "0": output += #"\x{0}"#
        case "c":
            guard index < scalars.count, scalars[index].isASCII, scalars[index].properties.isAlphabetic else {
                if strict { throw ECMARegexError(message: "\\c must be followed by a letter") }
                output += #"\\c"#
                return
            }
            output += "\\x{" + String(scalars[index].value & 0x1F, radix: 16) + "}"
            index += 1
        case "u":
            guard var code = readUnicodeEscape(scalars, &index) else {
                if strict { throw ECMARegexError(message: "invalid \\u escape") }
                output += "u"
                return
            }
            // A surrogate pair written as two escapes is one code point.
            if (0xD800...0xDBFF).contains(code), index + 1 < scalars.count, scalars[index] == "\\", scalars[index + 1] == "u" {
                var lookahead = index + 2
                if let low = readUnicodeEscape(scalars, &lookahead), (0xDC00...0xDFFF).contains(low) {
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    index = lookahead
                }
            }
            output += "\\x{" + String(code, radix: 16) + "}"
        default:
            if strict && letter.isASCII && letter.properties.isAlphabetic && !escapeLetters.contains(Character(letter)) {
                throw ECMARegexError(message: "\\\(letter) is not a valid escape")
            }
            output += "\\"
            output.unicodeScalars.append(letter)
        }
    }

    /// Reads "XXXX" or "{X…}" after "\u"; advances `index` past it on success.
    private static func readUnicodeEscape(_ scalars: [Unicode.Scalar], _ index: inout Int) -> UInt32? {
        if index < scalars.count, scalars[index] == "{" {
            guard let close = scalars[index...].firstIndex(of: "}") else { return nil }
            let digits = String(String.UnicodeScalarView(scalars[(index + 1)..<close]))
            guard let code = UInt32(digits, radix: 16), code <= 0x10FFFF else { return nil }
            index = close + 1
            return code
        }
        guard index + 4 <= scalars.count else { return nil }
        let digits = String(String.UnicodeScalarView(scalars[index..<(index + 4)]))
        guard let code = UInt32(digits, radix: 16) else { return nil }
        index += 4
        return code
    }
}
