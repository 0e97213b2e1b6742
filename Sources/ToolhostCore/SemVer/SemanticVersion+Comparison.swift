/// The outcome of comparing two values, kept internal so that the public API does not depend on Foundation.
enum VersionOrder: Sendable {
    case ascending
    case same
    case descending
}

extension SemanticVersion: Comparable {
    /// Orders versions by SemVer precedence, then — only between versions of equal precedence — by build metadata.
    ///
    /// Precedence (SemVer §11) compares major, minor and patch numerically; a prerelease sorts before its release;
    /// prerelease identifiers are compared one by one (numbers numerically, below any alphanumeric identifier, which
    /// compare in ASCII order) and a shorter list sorts first when all of its identifiers are equal:
    /// `1.0.0-alpha < 1.0.0-alpha.1 < 1.0.0-alpha.beta < 1.0.0-beta < 1.0.0-beta.2 < 1.0.0-beta.11 < 1.0.0-rc.1 < 1.0.0`.
    ///
    /// The build tie-break (no build first, then identifiers in ASCII order, shorter first) exists only so that
    /// exactly one of `a < b`, `a == b`, `b < a` holds, as `Comparable` requires; it never reorders versions whose
    /// precedence differs. Range matching ignores build metadata entirely.
    public static func < (lhs: SemanticVersion, rhs: SemanticVersion) -> Bool {
        switch lhs.comparePrecedence(with: rhs) {
        case .ascending: true
        case .descending: false
        case .same: compareIdentifiersLexically(lhs.build, rhs.build) == .ascending
        }
    }

    /// True when both versions have the same SemVer precedence, which ignores build metadata:
    /// `1.0.0+a` and `1.0.0+b` have equal precedence but are not `==`.
    public func precedenceEquals(_ other: SemanticVersion) -> Bool {
        comparePrecedence(with: other) == .same
    }

    /// True when this version has lower SemVer precedence than `other`; build metadata is ignored.
    public func hasLowerPrecedence(than other: SemanticVersion) -> Bool {
        comparePrecedence(with: other) == .ascending
    }

    /// SemVer §11 precedence.
    func comparePrecedence(with other: SemanticVersion) -> VersionOrder {
        if major != other.major { return Self.compareCounts(major, other.major) }
        if minor != other.minor { return Self.compareCounts(minor, other.minor) }
        if patch != other.patch { return Self.compareCounts(patch, other.patch) }
        // A release has higher precedence than any of its prereleases (§11.3), so an empty list sorts last here.
        switch (prerelease.isEmpty, other.prerelease.isEmpty) {
        case (true, true): return .same
        case (true, false): return .descending
        case (false, true): return .ascending
        case (false, false): break
        }
        for (left, right) in zip(prerelease, other.prerelease) {
            let order = Self.comparePrereleaseIdentifiers(left, right)
            if order != .same { return order }
        }
        return Self.compareCounts(prerelease.count, other.prerelease.count)
    }

    private static func comparePrereleaseIdentifiers(_ left: String, _ right: String) -> VersionOrder {
        switch (SemVerGrammar.isNumeric(left), SemVerGrammar.isNumeric(right)) {
        case (true, true):
            // Numeric identifiers have no leading zeros, so the longer one is the larger number; comparing the digits
            // as text then handles identifiers of any size without overflow.
            if left.utf8.count != right.utf8.count { return compareCounts(left.utf8.count, right.utf8.count) }
            return compareBytes(left, right)
        case (true, false): return .ascending
        case (false, true): return .descending
        case (false, false): return compareBytes(left, right)
        }
    }

    private static func compareIdentifiersLexically(_ left: [String], _ right: [String]) -> VersionOrder {
        for (a, b) in zip(left, right) {
            let order = compareBytes(a, b)
            if order != .same { return order }
        }
        return compareCounts(left.count, right.count)
    }

    private static func compareBytes(_ left: String, _ right: String) -> VersionOrder {
        if left == right { return .same }
        return left.utf8.lexicographicallyPrecedes(right.utf8) ? .ascending : .descending
    }

    /// Orders two numbers; named for its most common use, the lengths of identifier lists.
    private static func compareCounts(_ left: Int, _ right: Int) -> VersionOrder {
        left == right ? .same : (left < right ? .ascending : .descending)
    }
}
