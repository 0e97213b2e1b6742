extension VersionRange {
    /// The longest text ``init(parsing:)`` accepts; real ranges are a few dozen characters.
    public static let maximumLength = 1024

    /// Parses a range in npm's syntax.
    ///
    /// - exact: `1.2.3`, `=1.2.3`; comparators: `>1.2.3`, `>=1.2`, `<2`, `<=1.2.3-beta`
    /// - caret `^1.2.3`, `^0.2.3`, `^0.0.3`, `^1.2`, `^1`; tilde `~1.2.3`, `~1.2`, `~1` (also `~>`)
    /// - x-ranges `*`, `x`, `1.x`, `1.2.*`, `1`, `1.2`; hyphen ranges `1.2.3 - 2.3.4`, `1.2 - 2`
    /// - space-separated comparators must all hold (`>=1.0 <2.0`); `||` separates alternatives
    ///
    /// Whitespace around operators and `||` is allowed (`>= 1.0`, `^ 1.2`). An empty range means `*`, as in npm.
    /// Version numbers are read as strictly as by ``SemanticVersion/init(parsing:)``: no leading zeros and no `v`
    /// prefix. Build metadata is accepted and ignored.
    ///
    /// Where npm would silently reinterpret a likely mistake, this throws instead: a `v` prefix (`~v1.2`), a stray
    /// `=` after an operator (Python's `~=1.4`, which npm reads as `~1.4`), an empty alternative (`1.2.3 ||`, which
    /// npm reads as "or anything"), a number after a wildcard (`1.x.3`), and a prerelease or build on a partial
    /// version (`1.2.x-beta`).
    ///
    /// - Parameter text: The range text.
    /// - Throws: ``VersionParseError`` with code `invalid_range`, whose message says what is wrong and at which offset.
    public init(parsing text: String) throws(VersionParseError) {
        let length = text.unicodeScalars.count
        guard length <= Self.maximumLength else {
            throw VersionParseError(
                code: VersionParseError.invalidRange,
                input: String(text.unicodeScalars.prefix(64)) + "…",
                message: "range is \(length) characters long; the limit is \(Self.maximumLength)"
            )
        }
        var parser = VersionRangeParser(text)
        let syntax = try parser.parse()
        let desugaring = RangeDesugaring(input: text)
        var alternatives: [[VersionComparator]] = []
        for alternative in syntax {
            alternatives.append(try desugaring.comparators(for: alternative))
        }
        // An alternative that admits nothing adds nothing to an OR, unless nothing else is left.
        if alternatives.count > 1 {
            let satisfiable = alternatives.filter { $0 != [.none] }
            alternatives = satisfiable.isEmpty ? [[.none]] : satisfiable
        }
        self.init(description: text.trimmingRangeWhitespace(), alternatives: alternatives)
    }
}

extension String {
    fileprivate func trimmingRangeWhitespace() -> String {
        let bytes = Array(utf8)
        guard let first = bytes.firstIndex(where: { !SemVerGrammar.isWhitespace($0) }),
            let last = bytes.lastIndex(where: { !SemVerGrammar.isWhitespace($0) })
        else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}
