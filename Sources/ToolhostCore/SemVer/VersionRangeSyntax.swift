/// A version as written inside a range, where trailing parts may be missing or wildcards: `1`, `1.2.x`, `*`, `1.2.3-rc.1`.
///
/// A missing part and a wildcard mean the same thing, as in npm. Once a part is a wildcard, so are all that follow;
/// a prerelease is only present when all three numbers are.
struct PartialVersion: Sendable {
    var major: Int?
    var minor: Int?
    var patch: Int?
    var prerelease: [String] = []
    /// Where the version starts in the range text, and how it was written; both for error messages.
    var offset: Int
    var text: String

    /// The version when all three numbers are present, without build metadata (it plays no part in matching).
    var full: SemanticVersion? {
        guard let major, let minor, let patch else { return nil }
        return SemanticVersion(validatedMajor: major, minor: minor, patch: patch, prerelease: prerelease)
    }
}

/// One space-separated element of a comparator set, before desugaring.
enum RangeTerm: Sendable {
    /// `1.2.3`, `=1.2`, `>=1.0`, `<2`, `*`: an optional operator and a partial version.
    case comparison(VersionComparator.Operator?, PartialVersion)
    /// `~1.2.3` or `~>1.2.3`.
    case tilde(PartialVersion)
    /// `^1.2.3`.
    case caret(PartialVersion)
}

/// One `||`-separated alternative of a range, before desugaring.
enum RangeAlternative: Sendable {
    /// `1.2.3 - 2.3.4`; a hyphen range is always a whole alternative.
    case hyphen(PartialVersion, PartialVersion)
    /// Comparators that must all hold.
    case terms([RangeTerm])
}
