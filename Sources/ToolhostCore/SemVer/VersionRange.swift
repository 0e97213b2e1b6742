/// A set of versions written with npm's range syntax, such as `^1.2.3`, `~1.4`, `>=1.0 <2.0`, `1.x || >=3.1.0-beta`.
///
/// ```swift
/// let range = try VersionRange(parsing: "^1.2")
/// range.contains(try SemanticVersion(parsing: "1.9.0"))  // true
/// range.normalized                                       // ">=1.2.0 <2.0.0-0"
/// range.bestMatch(in: published, isExcluded: yanked.contains)
/// ```
///
/// Matching follows node-semver, including its prerelease rule: a prerelease only matches when a comparator of the
/// same alternative names a prerelease of the same `major.minor.patch` (so `>=1.2.3-alpha.3` admits `1.2.3-alpha.7`
/// but not `3.4.5-alpha.9`), unless prereleases are asked for with `contains(_:includingPrerelease:)`.
///
/// A range admits a version when any of its `||` alternatives does. (npm instead collapses `* || 1.2.3-beta` to `*`,
/// which then refuses `1.2.3-beta`; here the second alternative still admits it.)
///
/// Two ranges are equal when they desugar to the same comparators, whatever their spelling: `>= 1.0.0` equals
/// `>=1.0.0`, and `1.2.3` equals `=1.2.3`. Their ``description``s, which keep what the user wrote, may differ.
public struct VersionRange: Sendable {
    /// The range as the user wrote it, without surrounding whitespace; see ``normalized`` for a canonical form.
    public let description: String

    /// The `||` alternatives, each a list of comparators that must all hold; an empty list admits every version.
    let alternatives: [[VersionComparator]]

    init(description: String, alternatives: [[VersionComparator]]) {
        self.description = description
        self.alternatives = alternatives
    }

    /// `*`: every version (prereleases only when they are asked for, as with any range).
    public static let any = VersionRange(description: "*", alternatives: [[]])

    /// The range desugared into plain comparators, npm style: `^1.2` is `>=1.2.0 <2.0.0-0`, `1.2.3 - 2` is
    /// `>=1.2.3 <3.0.0-0`, `*` is `*`, an unsatisfiable range is `<0.0.0-0`, and alternatives are joined by ` || `.
    ///
    /// It describes the default matching; a few bounds widen to prereleases under `includingPrerelease` (see
    /// ``contains(_:includingPrerelease:)``), which this text does not show.
    public var normalized: String {
        alternatives.map { comparators in
            var seen = Set<String>()
            let shown = comparators.map(\.text).filter { text in
                // npm hides `>=0.0.0`, which only restates that versions are not negative. Bounds that differ only in
                // how they widen under includePrerelease print alike, so each text is shown once.
                text != ">=0.0.0" && seen.insert(text).inserted
            }
            return shown.isEmpty ? "*" : shown.joined(separator: " ")
        }.joined(separator: " || ")
    }

    /// True when the range names exactly one version, as `1.2.3` or `=1.2.3` do.
    ///
    /// An exact pin resolves even a yanked version (PyPI semantics), see ``bestMatch(in:includingPrerelease:isExcluded:)``.
    public var isExactPin: Bool { exactVersion != nil }

    /// The version an exact pin names, without build metadata (which matching ignores); `nil` for other ranges.
    public var exactVersion: SemanticVersion? {
        guard alternatives.count == 1, alternatives[0].count == 1, alternatives[0][0].op == .equal else { return nil }
        return alternatives[0][0].version
    }
}

extension VersionRange: Hashable {
    /// Compares what the ranges admit in both matching modes, not how they are spelled.
    public static func == (lhs: VersionRange, rhs: VersionRange) -> Bool {
        lhs.alternatives == rhs.alternatives
    }

    /// Hashes the desugared comparators, consistently with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(alternatives)
    }
}

extension VersionRange: CustomStringConvertible, LosslessStringConvertible {
    /// Parses a range, returning `nil` for invalid text; use ``init(parsing:)`` to learn what is wrong.
    public init?(_ description: String) {
        guard let range = try? VersionRange(parsing: description) else { return nil }
        self = range
    }
}
