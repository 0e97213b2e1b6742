/// Splits a JMESPath expression into tokens, following the lexical grammar of the specification.
///
/// Works on Unicode scalars so that token offsets are the columns a user sees (minus one).
struct JMESPathLexer {
    private let scalars: [Unicode.Scalar]
    private var position = 0

    init(_ scalars: [Unicode.Scalar]) {
        self.scalars = scalars
    }

    /// All tokens of the expression, ending with an `end` token.
    /// - Throws: ``JMESPathError`` of kind `syntax` at the first character that starts no token.
    mutating func tokenize() throws(JMESPathError) -> [JMESPathToken] {
        var tokens: [JMESPathToken] = []
        while true {
            skipWhitespace()
            let start = position
            guard let scalar = current else {
                tokens.append(JMESPathToken(kind: .end, start: start, end: start))
                return tokens
            }
            let kind = try lexToken(startingWith: scalar)
            tokens.append(JMESPathToken(kind: kind, start: start, end: position))
        }
    }

    private var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    private func peek(_ offset: Int = 1) -> Unicode.Scalar? {
        position + offset < scalars.count ? scalars[position + offset] : nil
    }

    private mutating func skipWhitespace() {
        while let scalar = current, scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" {
            position += 1
        }
    }

    private mutating func lexToken(startingWith scalar: Unicode.Scalar) throws(JMESPathError) -> JMESPathToken.Kind {
        if let simple = Self.singleCharacterTokens[scalar] {
            position += 1
            return simple
        }
        switch scalar {
        case "a"..."z", "A"..."Z", "_":
            return .identifier(consumeIdentifier())
        case "0"..."9", "-":
            return try consumeNumber()
        case "[":
            position += 1
            switch current {
            case "]":
                position += 1
                return .flatten
            case "?":
                position += 1
                return .filter
            default:
                return .leftBracket
            }
        case "|": return consumePair(second: "|", double: .or, single: .pipe)
        case "&": return consumePair(second: "&", double: .and, single: .expressionReference)
        case "!": return consumePair(second: "=", double: .comparator(.notEqual), single: .not)
        case "<": return consumePair(second: "=", double: .comparator(.lessOrEqual), single: .comparator(.less))
        case ">": return consumePair(second: "=", double: .comparator(.greaterOrEqual), single: .comparator(.greater))
        case "=":
            guard peek() == "=" else { throw error("'=' is not an operator; did you mean '=='?") }
            position += 2
            return .comparator(.equal)
        case "\"": return try consumeQuotedIdentifier()
        case "'": return .literal(.string(try consumeRawString()))
        case "`": return .literal(try consumeJSONLiteral())
        default:
            throw error("unexpected character '\(scalar.escaped(asASCII: false))'")
        }
    }

    private static let singleCharacterTokens: [Unicode.Scalar: JMESPathToken.Kind] = [
        ".": .dot, "*": .star, ",": .comma, ":": .colon, "@": .current,
        "{": .leftBrace, "}": .rightBrace, "]": .rightBracket, "(": .leftParenthesis, ")": .rightParenthesis,
    ]

    private mutating func consumePair(second: Unicode.Scalar, double: JMESPathToken.Kind, single: JMESPathToken.Kind) -> JMESPathToken.Kind {
        if peek() == second {
            position += 2
            return double
        }
        position += 1
        return single
    }

    private mutating func consumeIdentifier() -> String {
        var identifier = String.UnicodeScalarView()
        while let scalar = current, Self.isIdentifierScalar(scalar) {
            identifier.append(scalar)
            position += 1
        }
        return String(identifier)
    }

    private static func isIdentifierScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_": true
        default: false
        }
    }

    private mutating func consumeNumber() throws(JMESPathError) -> JMESPathToken.Kind {
        let start = position
        let negative = current == "-"
        if negative { position += 1 }
        var magnitude = 0
        var overflowed = false
        var digits = 0
        while let scalar = current, ("0"..."9").contains(scalar) {
            let (times, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int(scalar.value - 48))
            overflowed = overflowed || overflow1 || overflow2
            magnitude = sum
            digits += 1
            position += 1
        }
        guard digits > 0 else {
            position = start
            throw error("'-' must be followed by digits")
        }
        // Indices and slice bounds this large select the same elements as the largest Int.
        if overflowed { return .number(negative ? Int.min : Int.max) }
        return .number(negative ? -magnitude : magnitude)
    }

    /// Reads up to the closing `delimiter`, keeping backslash escapes as written, and returns the
    /// text between the delimiters. A backslash escapes any character, so `\"` does not close.
    private mutating func consumeDelimited(by delimiter: Unicode.Scalar, what: String) throws(JMESPathError) -> [Unicode.Scalar] {
        let start = position
        position += 1
        var content: [Unicode.Scalar] = []
        while true {
            guard let scalar = current else {
                position = start
                throw error("\(what) is not closed: missing \(delimiter)")
            }
            if scalar == delimiter {
                position += 1
                return content
            }
            if scalar == "\\", let next = peek() {
                content.append(scalar)
                content.append(next)
                position += 2
            } else {
                content.append(scalar)
                position += 1
            }
        }
    }

    private mutating func consumeQuotedIdentifier() throws(JMESPathError) -> JMESPathToken.Kind {
        let start = position
        let content = try consumeDelimited(by: "\"", what: "the quoted identifier")
        var json = String.UnicodeScalarView(content)
        json.insert("\"", at: json.startIndex)
        json.append("\"")
        // A quoted identifier is a JSON string, escapes and surrogate pairs included.
        guard case .string(let name)? = try? JSONValue(parsing: String(json)) else {
            position = start
            throw error("invalid quoted identifier: it must be a JSON string (check its escapes)")
        }
        return .quotedIdentifier(name)
    }

    /// A raw string literal: only `\'` is an escape; every other backslash stays as written.
    private mutating func consumeRawString() throws(JMESPathError) -> String {
        let content = try consumeDelimited(by: "'", what: "the raw string literal")
        var text = String.UnicodeScalarView()
        var index = 0
        while index < content.count {
            if content[index] == "\\", index + 1 < content.count, content[index + 1] == "'" {
                text.append("'")
                index += 2
            } else {
                text.append(content[index])
                index += 1
            }
        }
        return String(text)
    }

    /// A backtick literal: JSON text in which `` \` `` stands for a backtick.
    private mutating func consumeJSONLiteral() throws(JMESPathError) -> JSONValue {
        let start = position
        let content = try consumeDelimited(by: "`", what: "the JSON literal")
        var json = String.UnicodeScalarView()
        var index = 0
        while index < content.count {
            if content[index] == "\\", index + 1 < content.count, content[index + 1] == "`" {
                json.append("`")
                index += 2
            } else {
                json.append(content[index])
                index += 1
            }
        }
        do {
            return try JSONValue(parsing: String(json))
        } catch {
            position = start
            throw self.error("the literal between backticks is not valid JSON: \(error.message)")
        }
    }

    private func error(_ message: String) -> JMESPathError {
        JMESPathError(.syntax, message, column: position + 1)
    }
}
