extension VersionRange {
    /// Whether the range admits `version`, with npm's prerelease rule (prereleases only when asked for by name).
    ///
    /// Same as `contains(version, includingPrerelease: false)`.
    public func contains(_ version: SemanticVersion) -> Bool {
        contains(version, includingPrerelease: false)
    }

    /// Whether the range admits `version`; build metadata is ignored.
    ///
    /// - Parameters:
    ///   - version: The candidate.
    ///   - includingPrerelease: When false (npm's default), a prerelease such as `1.3.0-beta` only matches an
    ///     alternative that has a comparator naming a prerelease of the same `major.minor.patch`: `>=1.3.0-alpha`
    ///     admits `1.3.0-beta` but `^1.2.0` does not. When true (npm's `includePrerelease`), prereleases are judged
    ///     by precedence alone, and bounds from partial versions start at their first prerelease (`2.x` admits
    ///     `2.0.0-rc.1`); `^1.0.0` still excludes `1.0.0-rc.1`, which comes before `1.0.0`. Which lower bounds widen
    ///     follows node-semver exactly: those of x-ranges, partial comparators (`>=1.2`), partial carets (`^1.2`),
    ///     `^0.y.z` and hyphen ranges do; tilde ranges and full comparators (`>=1.2.0`, `^1.2.3`) do not.
    public func contains(_ version: SemanticVersion, includingPrerelease: Bool) -> Bool {
        alternatives.contains { comparators in
            guard comparators.allSatisfy({ $0.admits(version, includingPrerelease: includingPrerelease) }) else {
                return false
            }
            guard version.isPrerelease && !includingPrerelease else { return true }
            // Opting into one prerelease line must not pull in the unstable work of every later version.
            return comparators.contains { comparator in
                comparator.version.isPrerelease && comparator.version.major == version.major
                    && comparator.version.minor == version.minor && comparator.version.patch == version.patch
            }
        }
    }

    /// The highest version in `candidates` that the range admits, or `nil` when there is none.
    ///
    /// Same as `bestMatch(in: candidates, includingPrerelease: false, isExcluded: { _ in false })`.
    public func bestMatch(in candidates: some Sequence<SemanticVersion>) -> SemanticVersion? {
        bestMatch(in: candidates, includingPrerelease: false, isExcluded: { _ in false })
    }

    /// The highest version in `candidates` that the range admits and `isExcluded` does not reject.
    ///
    /// `isExcluded` is how a registry hides yanked versions from resolution. An exact pin (``isExactPin``) ignores it:
    /// like PyPI, a yanked version still resolves for whoever pinned it, so their builds keep working.
    ///
    /// ```swift
    /// let yanked: Set<SemanticVersion> = [v1_2_4]
    /// try VersionRange(parsing: "^1.2").bestMatch(in: published, isExcluded: yanked.contains)   // 1.2.3
    /// try VersionRange(parsing: "1.2.4").bestMatch(in: published, isExcluded: yanked.contains)  // 1.2.4
    /// ```
    ///
    /// - Parameters:
    ///   - candidates: The versions to choose from, in any order.
    ///   - includingPrerelease: As for ``contains(_:includingPrerelease:)``.
    ///   - isExcluded: Returns true for a version that must not be chosen unless it is exactly pinned.
    public func bestMatch(
        in candidates: some Sequence<SemanticVersion>,
        includingPrerelease: Bool = false,
        isExcluded: (SemanticVersion) -> Bool = { _ in false }
    ) -> SemanticVersion? {
        let honoursExclusions = !isExactPin
        var best: SemanticVersion?
        for candidate in candidates where contains(candidate, includingPrerelease: includingPrerelease) {
            if let current = best, !(current < candidate) { continue }
            if honoursExclusions && isExcluded(candidate) { continue }
            best = candidate
        }
        return best
    }
}
