/// Turns range syntax into comparators with node-semver's rules, including which lower bounds widen to `-0`
/// under `includePrerelease`, so that both modes match what npm users expect.
struct RangeDesugaring {
    let input: String

    func comparators(for alternative: RangeAlternative) throws(VersionParseError) -> [VersionComparator] {
        let comparators: [VersionComparator]
        switch alternative {
        case .hyphen(let from, let to):
            comparators = try hyphen(from, to)
        case .terms(let terms):
            var all: [VersionComparator] = []
            for term in terms {
                switch term {
                case .comparison(let op, let version): all += try comparison(op, version)
                case .tilde(let version): all += try tilde(version)
                case .caret(let version): all += try caret(version)
                }
            }
            comparators = all
        }
        return Self.simplified(comparators)
    }

    /// Drops what cannot change the outcome, as npm does, so that equal ranges compare equal:
    /// an unsatisfiable comparator makes the whole set unsatisfiable, a widening `>=0.0.0` excludes nothing in either
    /// mode (and names no prerelease), and a repeated comparator adds nothing.
    static func simplified(_ comparators: [VersionComparator]) -> [VersionComparator] {
        if comparators.contains(.none) { return [.none] }
        var seen = Set<VersionComparator>()
        return comparators.filter { comparator in
            let admitsEverything = comparator.widensToPrerelease && comparator.version == SemanticVersion(0, 0, 0)
            return !admitsEverything && seen.insert(comparator).inserted
        }
    }

    // `1.2.3 - 2.3.4` → `>=1.2.3 <=2.3.4`; `1.2 - 2` → `>=1.2.0 <3.0.0-0`; a partial upper end covers all of it.
    private func hyphen(_ from: PartialVersion, _ to: PartialVersion) throws(VersionParseError) -> [VersionComparator] {
        var result: [VersionComparator] = []
        if let major = from.major {
            if let full = from.full {
                result.append(atLeast(full, widening: full.prerelease.isEmpty))
            } else {
                result.append(atLeast(major, from.minor ?? 0, 0, widening: true))
            }
        }
        if let major = to.major {
            if let full = to.full {
                result.append(VersionComparator(op: .lessThanOrEqual, version: full))
            } else if let minor = to.minor {
                result.append(below(major, try next(minor, "minor", of: to), 0))
            } else {
                result.append(below(try next(major, "major", of: to), 0, 0))
            }
        }
        return result
    }

    // `1.2.3` is exact; `1.2`/`1.2.x` → `>=1.2.0 <1.3.0-0`; `>1.2` → `>=1.3.0`; `<=1.2` → `<1.3.0-0`; `>*` matches nothing.
    private func comparison(_ op: VersionComparator.Operator?, _ version: PartialVersion) throws(VersionParseError) -> [VersionComparator] {
        if let full = version.full { return [VersionComparator(op: op ?? .equal, version: full)] }
        guard let major = version.major else {
            return op == .greaterThan || op == .lessThan ? [.none] : []
        }
        let minor = version.minor
        switch op {
        case nil, .equal:
            if let minor { return [atLeast(major, minor, 0, widening: true), below(major, try next(minor, "minor", of: version), 0)] }
            return [atLeast(major, 0, 0, widening: true), below(try next(major, "major", of: version), 0, 0)]
        case .greaterThan:
            if let minor { return [atLeast(major, try next(minor, "minor", of: version), 0, widening: true)] }
            return [atLeast(try next(major, "major", of: version), 0, 0, widening: true)]
        case .greaterThanOrEqual:
            return [atLeast(major, minor ?? 0, 0, widening: true)]
        case .lessThan:
            return [below(major, minor ?? 0, 0)]
        case .lessThanOrEqual:
            if let minor { return [below(major, try next(minor, "minor", of: version), 0)] }
            return [below(try next(major, "major", of: version), 0, 0)]
        }
    }

    // `~1.2.3` → `>=1.2.3 <1.3.0-0`; `~1.2` → `>=1.2.0 <1.3.0-0`; `~1` → `>=1.0.0 <2.0.0-0`. npm never widens these.
    private func tilde(_ version: PartialVersion) throws(VersionParseError) -> [VersionComparator] {
        guard let major = version.major else { return [] }
        guard let minor = version.minor else {
            return [atLeast(major, 0, 0, widening: false), below(try next(major, "major", of: version), 0, 0)]
        }
        let lower = version.full ?? SemanticVersion(validatedMajor: major, minor: minor, patch: 0)
        return [atLeast(lower, widening: false), below(major, try next(minor, "minor", of: version), 0)]
    }

    // Caret allows changes that do not modify the left-most non-zero part: `^1.2.3` → `>=1.2.3 <2.0.0-0`,
    // `^0.2.3` → `>=0.2.3 <0.3.0-0`, `^0.0.3` → `>=0.0.3 <0.0.4-0`, `^1.2` → `>=1.2.0 <2.0.0-0`, `^0` → `<1.0.0-0`.
    private func caret(_ version: PartialVersion) throws(VersionParseError) -> [VersionComparator] {
        guard let major = version.major else { return [] }
        guard let minor = version.minor else {
            return [atLeast(major, 0, 0, widening: true), below(try next(major, "major", of: version), 0, 0)]
        }
        guard let full = version.full else {
            if major == 0 { return [atLeast(0, minor, 0, widening: true), below(0, try next(minor, "minor", of: version), 0)] }
            return [atLeast(major, minor, 0, widening: true), below(try next(major, "major", of: version), 0, 0)]
        }
        // npm widens `^0.x.y` but not `^1.2.3` under includePrerelease; mirrored so both modes agree with npm.
        let lower = atLeast(full, widening: full.prerelease.isEmpty && major == 0)
        if major != 0 { return [lower, below(try next(major, "major", of: version), 0, 0)] }
        if minor != 0 { return [lower, below(0, try next(minor, "minor", of: version), 0)] }
        return [lower, below(0, 0, try next(full.patch, "patch", of: version))]
    }

    private func atLeast(_ major: Int, _ minor: Int, _ patch: Int, widening: Bool) -> VersionComparator {
        atLeast(SemanticVersion(validatedMajor: major, minor: minor, patch: patch), widening: widening)
    }

    private func atLeast(_ version: SemanticVersion, widening: Bool) -> VersionComparator {
        VersionComparator(op: .greaterThanOrEqual, version: version, widensToPrerelease: widening)
    }

    /// `<major.minor.patch-0`: below every version with these numbers, prereleases included.
    private func below(_ major: Int, _ minor: Int, _ patch: Int) -> VersionComparator {
        VersionComparator(op: .lessThan, version: .lowestPrerelease(major, minor, patch))
    }

    /// `value + 1` for an upper bound, or an error when `value` is already `Int.max`.
    private func next(_ value: Int, _ part: String, of version: PartialVersion) throws(VersionParseError) -> Int {
        let (result, overflow) = value.addingReportingOverflow(1)
        guard !overflow else {
            throw VersionParseError(
                code: VersionParseError.invalidRange,
                input: input,
                message: "'\(version.text)' at offset \(version.offset) has no upper bound: its \(part) version "
                    + "is the largest supported number, \(Int.max)",
                offset: version.offset
            )
        }
        return result
    }
}
