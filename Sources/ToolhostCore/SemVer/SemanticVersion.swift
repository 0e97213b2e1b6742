/// A version number as defined by [Semantic Versioning 2.0.0](https://semver.org/spec/v2.0.0.html):
/// `major.minor.patch`, an optional prerelease (`-alpha.1`) and optional build metadata (`+build.5`).
///
/// ```swift
/// let version = try SemanticVersion(parsing: "1.4.0-rc.2+sha.5114f85")
/// version.major        // 1
/// version.prerelease   // ["rc", "2"]
/// version.isPrerelease // true
/// ```
///
/// Equality and ordering:
/// - `==` and `hash(into:)` compare every field, build metadata included, so `1.0.0+a != 1.0.0+b`.
/// - `<` orders by SemVer precedence (§11), which ignores build metadata; only between versions of equal precedence
///   does it fall back to build metadata, so that `<` and `==` together form the strict total order that
///   `Comparable` requires. Use ``precedenceEquals(_:)`` to ask the SemVer question "same precedence?".
///
/// A value is always a valid SemVer 2.0.0 version: the initializer and the property setters check their input with
/// `precondition`, so its ``description`` always parses back to an equal value. Text from users goes through
/// ``init(parsing:)``, which throws instead.
public struct SemanticVersion: Sendable, Hashable {
    /// The major version, incremented for incompatible changes. Never negative.
    public var major: Int {
        didSet { Self.checkNumber(major, "major") }
    }

    /// The minor version, incremented for compatible additions. Never negative.
    public var minor: Int {
        didSet { Self.checkNumber(minor, "minor") }
    }

    /// The patch version, incremented for compatible fixes. Never negative.
    public var patch: Int {
        didSet { Self.checkNumber(patch, "patch") }
    }

    /// The prerelease identifiers, e.g. `["alpha", "1"]` for `1.0.0-alpha.1`; empty for a release.
    ///
    /// Each is non-empty, uses only `[0-9A-Za-z-]`, and has no leading zero when it is numeric.
    public var prerelease: [String] {
        didSet { Self.checkIdentifiers(prerelease, .prerelease) }
    }

    /// The build metadata identifiers, e.g. `["sha", "5114f85"]` for `1.0.0+sha.5114f85`; ignored for precedence.
    ///
    /// Each is non-empty and uses only `[0-9A-Za-z-]`; leading zeros are allowed here.
    public var build: [String] {
        didSet { Self.checkIdentifiers(build, .build) }
    }

    /// Creates a version from its parts.
    ///
    /// The parts must form a valid version (numbers not negative, identifiers as described on ``prerelease`` and
    /// ``build``); this is checked with `precondition` because invalid parts are a programming error here.
    /// Parse user input with ``init(parsing:)`` instead.
    public init(_ major: Int, _ minor: Int, _ patch: Int, prerelease: [String] = [], build: [String] = []) {
        Self.checkNumber(major, "major")
        Self.checkNumber(minor, "minor")
        Self.checkNumber(patch, "patch")
        Self.checkIdentifiers(prerelease, .prerelease)
        Self.checkIdentifiers(build, .build)
        self.init(validatedMajor: major, minor: minor, patch: patch, prerelease: prerelease, build: build)
    }

    /// For parts that a parser has already validated; skips the checks.
    init(validatedMajor major: Int, minor: Int, patch: Int, prerelease: [String] = [], build: [String] = []) {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.prerelease = prerelease
        self.build = build
    }

    /// True when the version has prerelease identifiers, such as `2.0.0-beta.1`.
    public var isPrerelease: Bool { !prerelease.isEmpty }

    private static func checkNumber(_ value: Int, _ part: String) {
        precondition(value >= 0, "SemanticVersion: the \(part) version must not be negative, got \(value)")
    }

    private static func checkIdentifiers(_ identifiers: [String], _ kind: SemVerScanner.IdentifierKind) {
        for identifier in identifiers {
            precondition(SemVerGrammar.isValidIdentifier(identifier, kind), "SemanticVersion: '\(identifier)' is not a valid \(kind.name) identifier")
        }
    }
}

extension SemanticVersion: CustomStringConvertible, LosslessStringConvertible {
    /// The canonical text of the version, such as `1.0.0-alpha.1+build.5`; it parses back to an equal value.
    public var description: String {
        var text = "\(major).\(minor).\(patch)"
        if !prerelease.isEmpty { text += "-" + prerelease.joined(separator: ".") }
        if !build.isEmpty { text += "+" + build.joined(separator: ".") }
        return text
    }

    /// Parses a version, returning `nil` for invalid text; use ``init(parsing:)`` to learn what is wrong.
    public init?(_ description: String) {
        guard let version = try? SemanticVersion(parsing: description) else { return nil }
        self = version
    }
}
