extension SemanticVersion {
    /// The longest text ``init(parsing:)`` accepts, as in npm: longer input is refused before it is read.
    public static let maximumLength = 256

    /// Parses a strict SemVer 2.0.0 version such as `1.0.0`, `2.1.0-rc.1` or `1.0.0+20130313144700`.
    ///
    /// Nothing outside the grammar is tolerated: no `v` prefix, no surrounding whitespace, no missing parts
    /// (`1.2`), no leading zeros in numeric parts or numeric prerelease identifiers (`01.2.3`, `1.2.3-01`),
    /// no empty identifiers (`1.2.3-alpha..1`), and no numbers larger than `Int.max`.
    ///
    /// - Parameter text: The version text.
    /// - Throws: ``VersionParseError`` with code `invalid_version`, whose message says what is wrong and at which offset.
    public init(parsing text: String) throws(VersionParseError) {
        var scanner = SemVerScanner(text, code: VersionParseError.invalidVersion)
        guard !text.isEmpty else { throw scanner.failure("version is empty", at: 0) }
        let length = text.unicodeScalars.count
        guard length <= Self.maximumLength else {
            throw VersionParseError(
                code: VersionParseError.invalidVersion,
                input: String(text.unicodeScalars.prefix(64)) + "…",
                message: "version is \(length) characters long; the limit is \(Self.maximumLength)"
            )
        }
        if let first = scanner.current, first == UInt8(ascii: "v") || first == UInt8(ascii: "V") {
            throw scanner.failure(
                "a version does not start with 'v'; write '\(text.dropFirst())' instead",
                at: 0
            )
        }

        let major = try scanner.corePart("major", after: nil)
        let minor = try scanner.corePart("minor", after: "major")
        let patch = try scanner.corePart("patch", after: "minor")

        var prerelease: [String] = []
        var build: [String] = []
        if scanner.current == UInt8(ascii: "-") {
            scanner.position += 1
            prerelease = try scanner.identifiers(.prerelease) { $0 == UInt8(ascii: "+") }
        }
        if scanner.current == UInt8(ascii: "+") {
            scanner.position += 1
            build = try scanner.identifiers(.build) { _ in false }
        }
        if !scanner.isAtEnd {
            // Only an unexpected byte right after the patch number reaches here; identifiers report their own.
            let offset = scanner.position
            let extra =
                scanner.current == UInt8(ascii: ".")
                ? "a version has exactly three numeric parts, found more at offset \(offset)"
                : "unexpected character \(scanner.quotedCharacter(at: offset)) after the patch version at offset \(offset)"
            throw scanner.failure(extra, at: offset)
        }
        self.init(validatedMajor: major, minor: minor, patch: patch, prerelease: prerelease, build: build)
    }
}

extension SemVerScanner {
    /// Reads `major`, or `.minor` / `.patch` including the dot that introduces it.
    fileprivate mutating func corePart(_ part: String, after previous: String?) throws(VersionParseError) -> Int {
        if previous != nil {
            guard current == UInt8(ascii: ".") else {
                let found = isAtEnd ? "" : " (found \(quotedCharacter(at: position)))"
                throw failure(
                    "\(part) version is missing at offset \(position)\(found); a version has the form major.minor.patch",
                    at: position
                )
            }
            position += 1
        }
        guard let byte = current else {
            throw failure(
                "\(part) version is missing at offset \(position); a version has the form major.minor.patch",
                at: position
            )
        }
        guard SemVerGrammar.isDigit(byte) else {
            throw failure(
                "expected a digit for the \(part) version at offset \(position), found \(quotedCharacter(at: position))",
                at: position
            )
        }
        return try number(named: part)
    }
}
