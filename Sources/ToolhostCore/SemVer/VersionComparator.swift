/// One primitive condition of a range, such as `>=1.2.0` or `<2.0.0-0`; every range form desugars into these.
struct VersionComparator: Sendable, Hashable {
    enum Operator: Sendable, Hashable {
        case lessThan
        case lessThanOrEqual
        case greaterThan
        case greaterThanOrEqual
        case equal

        /// npm's spelling; `=` is written as nothing, as in `1.2.3`.
        var text: String {
            switch self {
            case .lessThan: "<"
            case .lessThanOrEqual: "<="
            case .greaterThan: ">"
            case .greaterThanOrEqual: ">="
            case .equal: ""
            }
        }
    }

    var op: Operator
    /// The bound; never carries build metadata, which plays no part in matching.
    var version: SemanticVersion
    /// When matching with prereleases included, this lower bound drops to `version-0`, the lowest prerelease of
    /// `version`, as npm's `includePrerelease` does for bounds that came from a partial version (`2.x`, `^1.2`,
    /// `>=1.2`) and for a few other forms. Only ever set on `>=` bounds without a prerelease.
    var widensToPrerelease = false

    /// `<0.0.0-0`: nothing is lower than the lowest prerelease of 0.0.0, so no version satisfies it (npm's null set).
    static let none = VersionComparator(op: .lessThan, version: .lowestPrerelease(0, 0, 0))

    /// Whether `candidate` lies on the right side of the bound; the npm prerelease rule is applied by the caller.
    func admits(_ candidate: SemanticVersion, includingPrerelease: Bool) -> Bool {
        let bound =
            includingPrerelease && widensToPrerelease
            ? SemanticVersion.lowestPrerelease(version.major, version.minor, version.patch)
            : version
        let order = candidate.comparePrecedence(with: bound)
        switch op {
        case .lessThan: return order == .ascending
        case .lessThanOrEqual: return order != .descending
        case .greaterThan: return order == .descending
        case .greaterThanOrEqual: return order != .ascending
        case .equal: return order == .same
        }
    }

    /// npm's canonical text, such as `>=1.2.0` or `1.2.3` for an exact version.
    var text: String { op.text + version.description }
}

extension SemanticVersion {
    /// `major.minor.patch-0`: `0` is the lowest possible prerelease identifier, so this precedes every other
    /// version with the same numbers, which is how npm writes an exclusive upper bound such as `<2.0.0-0`.
    static func lowestPrerelease(_ major: Int, _ minor: Int, _ patch: Int) -> SemanticVersion {
        SemanticVersion(validatedMajor: major, minor: minor, patch: patch, prerelease: ["0"])
    }
}
