/// Reads range text into ``RangeAlternative``s; desugaring into comparators happens afterwards.
///
/// The grammar is npm's, read strictly:
/// ```
/// range       = ws* [ alternative ( ws* "||" ws* alternative )* ] ws*
/// alternative = partial ws+ "-" ws+ partial          ; hyphen range, always a whole alternative
///             | term ( ws+ term )*
/// term        = ( "<" | "<=" | ">" | ">=" | "=" | "~" | "~>" | "^" )? ws* partial
/// partial     = part ( "." part ( "." part [ "-" prerelease ] [ "+" build ] )? )?
/// part        = number | "x" | "X" | "*"
/// ```
/// Unlike npm, it refuses a `v` prefix, a stray `=` after an operator (`~=1.4`, `==1`), an empty `||` alternative,
/// a number after a wildcard (`1.x.3`), and a prerelease or build on a partial version (`1.2-beta`) instead of
/// silently reinterpreting them.
struct VersionRangeParser {
    private var scanner: SemVerScanner

    init(_ text: String) {
        scanner = SemVerScanner(text, code: VersionParseError.invalidRange)
    }

    mutating func parse() throws(VersionParseError) -> [RangeAlternative] {
        skipWhitespace()
        // npm reads an empty range as "*"; a manifest that leaves the range blank means "any version".
        if scanner.isAtEnd { return [.terms([])] }
        var alternatives: [RangeAlternative] = []
        while true {
            alternatives.append(try alternative())
            guard !scanner.isAtEnd else { return alternatives }
            // alternative() only stops early at a '|'.
            let barOffset = scanner.position
            guard scanner.bytes.count > barOffset + 1, scanner.bytes[barOffset + 1] == UInt8(ascii: "|") else {
                throw scanner.failure("a single '|' at offset \(barOffset); write '||' to combine alternatives", at: barOffset)
            }
            scanner.position += 2
            skipWhitespace()
            // An empty alternative would match every version in npm; here it is almost certainly a typo, so refuse it.
            if scanner.isAtEnd || scanner.current == UInt8(ascii: "|") {
                throw scanner.failure("nothing follows the '||' at offset \(barOffset); remove it or add a range after it", at: barOffset)
            }
        }
    }

    private mutating func alternative() throws(VersionParseError) -> RangeAlternative {
        if scanner.current == UInt8(ascii: "|") {
            throw scanner.failure(
                "nothing precedes the '||' at offset \(scanner.position); remove it or add a range before it",
                at: scanner.position
            )
        }
        var terms: [RangeTerm] = []
        while true {
            terms.append(try term())
            let hadSpace = skipWhitespace()
            guard let byte = scanner.current, byte != UInt8(ascii: "|") else { return .terms(terms) }
            if !hadSpace {
                throw scanner.failure(
                    "unexpected character \(scanner.quotedCharacter(at: scanner.position)) at offset \(scanner.position); "
                        + "separate comparators with spaces and alternatives with '||'",
                    at: scanner.position
                )
            }
            if byte == UInt8(ascii: "-") { return try hyphen(from: terms) }
        }
    }

    /// Finishes `from - to`; `scanner` is at the `-`.
    private mutating func hyphen(from terms: [RangeTerm]) throws(VersionParseError) -> RangeAlternative {
        let dash = scanner.position
        guard terms.count == 1 else {
            throw scanner.failure(
                "a hyphen range must be a whole alternative, but the '-' at offset \(dash) follows more than one version",
                at: dash
            )
        }
        guard case .comparison(nil, let from) = terms[0] else {
            throw scanner.failure(
                "the hyphen range at offset \(dash) takes plain versions on both sides, without operators, '~' or '^'",
                at: dash
            )
        }
        scanner.position += 1
        guard skipWhitespace() else {
            throw scanner.failure("the '-' at offset \(dash) needs a space on both sides to form a hyphen range", at: dash)
        }
        let to = try partial(after: "'-'")
        skipWhitespace()
        if let byte = scanner.current, byte != UInt8(ascii: "|") {
            throw scanner.failure(
                "a hyphen range must be a whole alternative; unexpected \(scanner.quotedCharacter(at: scanner.position)) "
                    + "at offset \(scanner.position)",
                at: scanner.position
            )
        }
        return .hyphen(from, to)
    }

    private mutating func term() throws(VersionParseError) -> RangeTerm {
        let start = scanner.position
        func consume(_ character: Unicode.Scalar) -> Bool {
            guard scanner.current == UInt8(ascii: character) else { return false }
            scanner.position += 1
            return true
        }
        if consume("^") {
            skipWhitespace()
            return .caret(try partial(after: quoted(start..<start + 1)))
        }
        if consume("~") {
            _ = consume(">")  // `~>` is npm's (and RubyGems') spelling of the same tilde range.
            let operatorEnd = scanner.position
            skipWhitespace()
            return .tilde(try partial(after: quoted(start..<operatorEnd)))
        }
        let op: VersionComparator.Operator?
        if consume("<") {
            op = consume("=") ? .lessThanOrEqual : .lessThan
        } else if consume(">") {
            op = consume("=") ? .greaterThanOrEqual : .greaterThan
        } else if consume("=") {
            op = .equal
        } else {
            op = nil
        }
        let operatorEnd = scanner.position
        if op != nil { skipWhitespace() }
        return .comparison(op, try partial(after: op == nil ? nil : quoted(start..<operatorEnd)))
    }

    /// Reads a partial version; `context` names what precedes it (an operator) for the error when it is missing.
    private mutating func partial(after context: String?) throws(VersionParseError) -> PartialVersion {
        let start = scanner.position
        guard let first = scanner.current, first != UInt8(ascii: "|") else {
            throw scanner.failure("expected a version after \(context ?? "this point") at offset \(start)", at: start)
        }
        if first == UInt8(ascii: "="), let context {
            // npm skips stray '=' here, which turns Python's `~=1.4` into npm's `~1.4`, a different range; refuse it.
            throw scanner.failure("unexpected '=' at offset \(start) after \(context); write one operator before the version", at: start)
        }
        if first == UInt8(ascii: "v") || first == UInt8(ascii: "V") {
            throw scanner.failure("a 'v' prefix is not allowed at offset \(start); write the version without it", at: start)
        }
        var parts: [Int?] = [try part("major")]
        var sawWildcard = parts[0] == nil
        for name in ["minor", "patch"] where scanner.current == UInt8(ascii: ".") {
            scanner.position += 1
            let offset = scanner.position
            let value = try part(name)
            if sawWildcard && value != nil {
                throw scanner.failure(
                    "the \(name) version at offset \(offset) is a number after a wildcard; write 'x' or leave it out",
                    at: offset
                )
            }
            sawWildcard = sawWildcard || value == nil
            parts.append(value)
        }
        if parts.count == 3 && scanner.current == UInt8(ascii: ".") {
            throw scanner.failure("a version has at most three numeric parts, found more at offset \(scanner.position)", at: scanner.position)
        }
        var prerelease: [String] = []
        if let byte = scanner.current, byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") {
            if parts.count < 3 || sawWildcard {
                let what = byte == UInt8(ascii: "-") ? "a prerelease" : "build metadata"
                throw scanner.failure(
                    "\(what) at offset \(scanner.position) needs a full major.minor.patch version before it",
                    at: scanner.position
                )
            }
            if byte == UInt8(ascii: "-") {
                scanner.position += 1
                prerelease = try scanner.identifiers(.prerelease) { $0 == UInt8(ascii: "+") || Self.endsVersion($0) }
            }
            if scanner.current == UInt8(ascii: "+") {
                scanner.position += 1
                // Build metadata is validated but dropped: SemVer ignores it for matching.
                _ = try scanner.identifiers(.build, isTerminator: Self.endsVersion)
            }
        }
        let text = String(decoding: scanner.bytes[start..<scanner.position], as: UTF8.self)
        return PartialVersion(
            major: parts[0],
            minor: parts.count > 1 ? parts[1] : nil,
            patch: parts.count > 2 ? parts[2] : nil,
            prerelease: prerelease,
            offset: start,
            text: text
        )
    }

    /// A number, or `nil` for a wildcard.
    private mutating func part(_ name: String) throws(VersionParseError) -> Int? {
        let offset = scanner.position
        guard let byte = scanner.current else {
            throw scanner.failure("the \(name) version is missing at offset \(offset)", at: offset)
        }
        if byte == UInt8(ascii: "x") || byte == UInt8(ascii: "X") || byte == UInt8(ascii: "*") {
            scanner.position += 1
            return nil
        }
        guard SemVerGrammar.isDigit(byte) else {
            throw scanner.failure(
                "expected a number or a wildcard ('x', 'X', '*') for the \(name) version at offset \(offset), "
                    + "found \(scanner.quotedCharacter(at: offset))",
                at: offset
            )
        }
        return try scanner.number(named: name)
    }

    private func quoted(_ range: Range<Int>) -> String {
        "'" + String(decoding: scanner.bytes[range], as: UTF8.self) + "'"
    }

    private static func endsVersion(_ byte: UInt8) -> Bool {
        SemVerGrammar.isWhitespace(byte) || byte == UInt8(ascii: "|")
    }

    /// Skips spaces, tabs and line breaks; returns whether there were any.
    @discardableResult
    private mutating func skipWhitespace() -> Bool {
        let start = scanner.position
        while let byte = scanner.current, SemVerGrammar.isWhitespace(byte) { scanner.position += 1 }
        return scanner.position > start
    }
}
