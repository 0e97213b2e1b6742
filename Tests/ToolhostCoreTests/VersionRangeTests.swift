import Foundation
import Testing
import ToolhostCore

private func range(_ text: String) throws -> VersionRange {
    try VersionRange(parsing: text)
}

private func version(_ text: String) throws -> SemanticVersion {
    try SemanticVersion(parsing: text)
}

private func rangeError(_ text: String) -> VersionParseError? {
    do {
        _ = try VersionRange(parsing: text)
        return nil
    } catch {
        return error
    }
}

@Suite("Matching versions against ranges")
struct VersionRangeMatchingTests {
    /// A sample of node-semver's range-include fixtures (strict mode only), covering every range form.
    @Test(
        "Versions inside a range are admitted",
        arguments: [
            // hyphen ranges
            ("1.0.0 - 2.0.0", "1.2.3"), ("1.0.0 - 2.0.0", "2.0.0"), ("1.0.0 - 2.0.0", "1.0.0"), ("1.2 - 2", "2.9.9"),
            ("1.2.3-pre+asdf - 2.4.3-pre+asdf", "1.2.3"), ("1.2.3-pre+asdf - 2.4.3-pre+asdf", "1.2.3-pre.2"),
            ("1.2.3-pre+asdf - 2.4.3-pre+asdf", "2.4.3-alpha"), ("1.2.3+asdf - 2.4.3+asdf", "1.2.3"),
            ("x - 1.0.0", "0.9.7"), ("x - 1.x", "0.9.7"), ("1.0.0 - x", "1.9.7"), ("1.x - x", "1.9.7"),
            // exact versions and plain comparators, with and without spaces
            ("1.0.0", "1.0.0"), ("=1.0.0", "1.0.0"), ("= 1.0.0", "1.0.0"), ("1.0.0", "1.0.0+build.5"),
            (">=1.0.0", "1.0.0"), (">=1.0.0", "1.0.1"), (">=1.0.0", "1.1.0"), (">1.0.0", "1.0.1"), (">1.0.0", "1.1.0"),
            ("<=2.0.0", "2.0.0"), ("<=2.0.0", "1.9999.9999"), ("<=2.0.0", "0.2.9"), ("<2.0.0", "1.9999.9999"),
            ("<2.0.0", "0.2.9"), (">= 1.0.0", "1.0.0"), (">=  1.0.0", "1.0.1"), (">=   1.0.0", "1.1.0"), ("> 1.0.0", "1.0.1"),
            ("<=   2.0.0", "2.0.0"), ("<    2.0.0", "1.9999.9999"), ("<\t2.0.0", "0.2.9"), (">=0.1.97", "0.1.97"),
            // OR and AND
            ("0.1.20 || 1.2.4", "1.2.4"), (">=0.2.3 || <0.0.1", "0.0.0"), (">=0.2.3 || <0.0.1", "0.2.3"),
            (">=0.2.3 || <0.0.1", "0.2.4"), ("1.2.3||2.0.0", "2.0.0"), (">=1.0 <2.0", "1.5.0"), (">=1.0 <2.0", "1.0.0"),
            ("~1.2.1 >=1.2.3", "1.2.3"), ("~1.2.1 =1.2.3", "1.2.3"), ("~1.2.1 1.2.3", "1.2.3"), ("~1.2.1 >=1.2.3 1.2.3", "1.2.3"),
            (">=1.2.1 1.2.3", "1.2.3"), ("1.2.3 >=1.2.1", "1.2.3"), (">=1.2.3 >=1.2.1", "1.2.3"),
            // x-ranges and partial versions
            ("", "1.0.0"), ("*", "1.2.3"), ("x", "1.2.3"), ("X", "0.0.0"), (">=*", "0.2.4"), ("2.x.x", "2.1.3"),
            ("1.2.x", "1.2.3"), ("1.2.x || 2.x", "2.1.3"), ("1.2.x || 2.x", "1.2.3"), ("2.*.*", "2.1.3"), ("1.2.*", "1.2.3"),
            ("1.2.* || 2.*", "2.1.3"), ("2", "2.1.2"), ("2.3", "2.3.1"), ("=0.7.x", "0.7.2"), ("<=0.7.x", "0.7.2"),
            (">=0.7.x", "0.7.2"), ("<=0.7.x", "0.6.2"), ("<=7.x", "7.9.9"), (">=1", "1.0.0"), (">= 1", "1.0.0"),
            ("<1.2", "1.1.1"), ("< 1.2", "1.1.1"), (">=1.2", "1.2.8"), (">1.2", "1.3.0"), (">1", "2.0.0"), ("<=1.2", "1.2.99"),
            // tilde
            ("~0.0.1", "0.0.1"), ("~0.0.1", "0.0.2"), ("~x", "0.0.9"), ("~2", "2.0.9"), ("~2.4", "2.4.0"), ("~2.4", "2.4.5"),
            ("~>3.2.1", "3.2.2"), ("~1", "1.2.3"), ("~>1", "1.2.3"), ("~> 1", "1.2.3"), ("~1.0", "1.0.2"), ("~ 1.0", "1.0.2"),
            ("~ 1.0.3", "1.0.12"), ("~1.2.3", "1.2.99"), ("~1.2.3-beta.2", "1.2.3-beta.4"), ("~1.2.3-beta.2", "1.2.4"),
            // caret
            ("^1.2.3", "1.8.1"), ("^1.2.3", "1.2.3"), ("^1.2.3+build", "1.2.3"), ("^1.2.3+build", "1.3.0"), ("^0.1.2", "0.1.2"),
            ("^0.1.2", "0.1.9"), ("^0.1", "0.1.2"), ("^0.0.1", "0.0.1"), ("^1.2", "1.4.2"), ("^1.2 ^1", "1.4.2"), ("^1", "1.99.0"),
            ("^0", "0.99.0"), ("^ 1", "1.0.0"), ("^1.2.3-alpha", "1.2.3-pre"), ("^1.2.0-alpha", "1.2.0-pre"),
            ("^0.0.1-alpha", "0.0.1-beta"), ("^0.0.1-alpha", "0.0.1"), ("^0.1.1-alpha", "0.1.1-beta"), ("^x", "1.2.3"),
        ]
    )
    func admits(_ rangeText: String, _ versionText: String) throws {
        #expect(try range(rangeText).contains(version(versionText)))
    }

    /// A sample of node-semver's range-exclude fixtures (strict mode only).
    @Test(
        "Versions outside a range are refused",
        arguments: [
            ("1.0.0 - 2.0.0", "2.2.3"), ("1.0.0 - 2.0.0", "0.9.9"), ("1.2 - 2", "1.1.9"), ("1.2 - 2", "3.0.0"),
            ("1.2.3+asdf - 2.4.3+asdf", "1.2.3-pre.2"), ("1.2.3+asdf - 2.4.3+asdf", "2.4.3-alpha"),
            ("1.0.0", "1.0.1"), ("=1.2.3", "1.2.3-beta"), (">=1.0.0", "0.0.0"), (">=1.0.0", "0.0.1"), (">=1.0.0", "0.1.0"),
            (">1.0.0", "0.0.1"), (">1.0.0", "1.0.0"), ("<=2.0.0", "3.0.0"), ("<=2.0.0", "2.9999.9999"), ("<=2.0.0", "2.2.9"),
            ("<2.0.0", "2.9999.9999"), ("<2.0.0", "2.2.9"), ("<2.0.0", "2.0.0"), (">=0.1.97", "0.1.93"),
            ("0.1.20 || 1.2.4", "1.2.3"), (">=0.2.3 || <0.0.1", "0.0.3"), (">=0.2.3 || <0.0.1", "0.2.2"),
            (">=1.0 <2.0", "2.0.0"), (">=1.0 <2.0", "0.9.9"),
            ("2.x.x", "1.1.3"), ("2.x.x", "3.1.3"), ("1.2.x", "1.3.3"), ("1.2.x || 2.x", "3.1.3"), ("1.2.x || 2.x", "1.1.3"),
            ("2.*.*", "1.1.3"), ("2.*.*", "3.1.3"), ("1.2.*", "1.3.3"), ("1.2.* || 2.*", "3.1.3"), ("1.2.* || 2.*", "1.1.3"),
            ("2", "1.1.2"), ("2.3", "2.4.1"), ("=0.7.x", "0.8.2"), (">=0.7.x", "0.6.2"), ("<0.7.x", "0.7.2"), ("<1", "1.0.0"),
            (">=1.2", "1.1.1"), (">1.2", "1.2.8"), (">1", "1.9.9"), ("<=1.2", "1.3.0"), (">X", "0.0.0"), ("<X", "1.0.0"),
            ("<x <* || >* 2.x", "2.0.0"),
            ("~0.0.1", "0.1.0"), ("~2.4", "2.5.0"), ("~2.4", "2.3.9"), ("~>3.2.1", "3.3.2"), ("~>3.2.1", "3.2.0"),
            ("~1", "0.2.3"), ("~>1", "2.2.3"), ("~1.0", "1.1.0"), ("~1.2.3", "1.3.0"),
            ("^1.2.3+build", "2.0.0"), ("^1.2.3+build", "1.2.0"), ("^0.0.1", "0.0.2"), ("^1.2.3", "1.2.2"), ("^1.2", "1.1.9"),
            ("^0.1.2", "0.2.0"), ("^0.1.2", "0.1.1"), ("^0", "1.0.0"),
        ]
    )
    func refuses(_ rangeText: String, _ versionText: String) throws {
        #expect(try !range(rangeText).contains(version(versionText)))
    }

    @Test(
        "A prerelease is refused unless a comparator of the same alternative names a prerelease of its major.minor.patch",
        arguments: [
            ("^1.2.3", "1.2.3-pre"), ("^1.2", "1.2.0-pre"), (">1.2", "1.3.0-beta"), ("<=1.2.3", "1.2.3-beta"),
            ("^1.2.3", "1.2.3-beta"), ("=0.7.x", "0.7.0-asdf"), (">=0.7.x", "0.7.0-asdf"), ("<1.2.3", "1.2.3-beta"),
            ("~0.0.1", "0.1.0-alpha"), ("~0.5.4-beta", "0.5.4-alpha"),
            ("^0.0.1", "0.0.2-alpha"), ("^1.2.3", "2.0.0-alpha"), ("^1.0.0", "2.0.0-rc1"), ("*", "1.2.3-foo"),
            ("<2.0.0", "2.0.0-rc.1"), (">=1.2.3-alpha.3", "3.4.5-alpha.9"), (">=1.2.3-alpha.3", "1.2.3-alpha.2"),
            ("1.2.3-beta || >=2.0.0", "2.1.0-beta"),
        ]
    )
    func refusesUnnamedPrereleases(_ rangeText: String, _ versionText: String) throws {
        #expect(try !range(rangeText).contains(version(versionText)))
    }

    @Test("Naming a prerelease admits later prereleases of the same version and every later release")
    func namedPrereleaseLine() throws {
        let pinned = try range(">=1.2.3-alpha.3")
        #expect(try pinned.contains(version("1.2.3-alpha.7")))
        #expect(try pinned.contains(version("1.2.3-beta")))
        #expect(try pinned.contains(version("1.2.3")))
        #expect(try pinned.contains(version("3.4.5")))
        #expect(try !pinned.contains(version("3.4.5-alpha.9")))
        #expect(try pinned.contains(version("3.4.5-alpha.9"), includingPrerelease: true))
        // The permission belongs to one alternative: the other one does not lend it.
        let alternatives = try range("1.2.3-beta.1 || >=1.2.3-alpha <1.2.3")
        #expect(try alternatives.contains(version("1.2.3-alpha.5")))
    }

    /// node-semver's includePrerelease fixtures, plus the cases that show which bounds widen.
    @Test(
        "Including prereleases admits them by precedence, with partial lower bounds starting at their first prerelease",
        arguments: [
            ("2.x", "2.0.0-pre.0", true), ("2.x", "2.1.0-pre.0", true), ("*", "1.0.0-rc1", true),
            ("^1.0.0-0", "1.0.1-rc1", true), ("^1.0.0-rc2", "1.0.1-rc1", true), ("^1.0.0", "1.0.1-rc1", true),
            ("^1.0.0", "1.1.0-rc1", true), (">=1.2", "1.2.0-rc.1", true), ("^1.2", "1.2.0-rc.1", true),
            ("1.0.0 - 2.0.0", "1.0.0-rc.1", true), ("1.0.0 - 2.0.0", "2.0.0-rc.1", true), ("^0.1.2", "0.1.2-rc.1", true),
            ("<2.0.0", "2.0.0-rc.1", true), (">1", "2.0.0-rc.1", true),
            ("2.x", "3.0.0-pre.0", false), ("^1.0.0", "1.0.0-rc1", false), ("^1.2.3-rc2", "2.0.0", false),
            ("^1.0.0", "2.0.0-rc1", false), ("~1.2", "1.2.0-rc.1", false), (">=1.0.0", "1.0.0-rc.1", false),
            ("<2", "2.0.0-rc.1", false), ("1.0.0 - 2.0.0", "2.0.1-rc.1", false), ("1.2.3", "1.2.3-rc.1", false),
        ]
    )
    func includingPrerelease(_ rangeText: String, _ versionText: String, _ admitted: Bool) throws {
        #expect(try range(rangeText).contains(version(versionText), includingPrerelease: true) == admitted)
    }

    @Test("Including prereleases never changes the verdict on releases")
    func includingPrereleaseKeepsReleases() throws {
        let releases = try ["0.0.0", "0.1.2", "1.0.0", "1.2.0", "1.2.3", "1.9.9", "2.0.0", "2.0.1", "3.0.0"].map(version)
        for text in ["^1.2", "~1.2.3", "1.0.0 - 2.0.0", ">=1.2 <2", "2.x || 0.1.x", "<1.2.3", "^0.1.2", "*", ">X"] {
            let parsed = try range(text)
            for release in releases {
                #expect(parsed.contains(release) == parsed.contains(release, includingPrerelease: true), "\(text) vs \(release)")
            }
        }
    }

    @Test("The any range admits every release, and prereleases only when they are asked for")
    func anyRange() throws {
        #expect(VersionRange.any.contains(try version("0.0.0")))
        #expect(VersionRange.any.contains(try version("9223372036854775807.0.0")))
        #expect(!VersionRange.any.contains(try version("1.0.0-rc.1")))
        #expect(VersionRange.any.contains(try version("1.0.0-rc.1"), includingPrerelease: true))
        #expect(VersionRange.any == (try range("*")))
        #expect(VersionRange.any == (try range("x")))
        #expect(VersionRange.any == (try range("")))
        #expect(VersionRange.any.description == "*")
    }

    @Test("An OR with the any range still admits the prerelease another alternative names (unlike npm, which drops it)")
    func orWithAny() throws {
        #expect(try range("* || 1.2.3-beta").contains(version("1.2.3-beta")))
        #expect(try !range("* || 1.2.3-beta").contains(version("1.2.4-beta")))
    }
}

@Suite("Parsing version ranges")
struct VersionRangeParsingTests {
    /// Canonical forms from node-semver's range-parse fixtures; alternatives are joined with " || " for readability.
    @Test(
        "Every range form desugars to npm's comparators",
        arguments: [
            ("1.0.0 - 2.0.0", ">=1.0.0 <=2.0.0"), ("1 - 2", ">=1.0.0 <3.0.0-0"), ("1.0 - 2.0", ">=1.0.0 <2.1.0-0"),
            ("1.2 - 3.4.5", ">=1.2.0 <=3.4.5"), ("1.2.3 - 3.4", ">=1.2.3 <3.5.0-0"), ("1.2 - 3.4", ">=1.2.0 <3.5.0-0"),
            ("x - 1.0.0", "<=1.0.0"), ("1.0.0 - x", ">=1.0.0"), ("x - x", "*"),
            ("1.0.0", "1.0.0"), ("=1.0.0", "1.0.0"), ("=1.2.3+build", "1.2.3"), ("1.2.3 1.2.3", "1.2.3"),
            (">=*", "*"), ("", "*"), ("   ", "*"), ("*", "*"), ("x", "*"), ("X", "*"), ("x.x.x", "*"), ("^*", "*"), ("~x", "*"),
            (">=1.0.0", ">=1.0.0"), (">1.0.0", ">1.0.0"), ("<=2.0.0", "<=2.0.0"), ("<2.0.0", "<2.0.0"),
            (">= 1.0.0", ">=1.0.0"), (">=  1.0.0", ">=1.0.0"), ("> 1.0.0", ">1.0.0"), ("<\t2.0.0", "<2.0.0"),
            ("0.1.20 || 1.2.4", "0.1.20 || 1.2.4"), (">=0.2.3 || <0.0.1", ">=0.2.3 || <0.0.1"), ("1.2.3||2.0.0", "1.2.3 || 2.0.0"),
            ("2.x.x", ">=2.0.0 <3.0.0-0"), ("1.2.x", ">=1.2.0 <1.3.0-0"), ("1.2.x || 2.x", ">=1.2.0 <1.3.0-0 || >=2.0.0 <3.0.0-0"),
            ("2.*.*", ">=2.0.0 <3.0.0-0"), ("2", ">=2.0.0 <3.0.0-0"), ("2.3", ">=2.3.0 <2.4.0-0"), ("0.x", "<1.0.0-0"),
            (">=1.0 <2.0", ">=1.0.0 <2.0.0-0"), (">=1", ">=1.0.0"), (">= 1", ">=1.0.0"), ("<1", "<1.0.0-0"), ("< 1", "<1.0.0-0"),
            ("<1.2", "<1.2.0-0"), (">1", ">=2.0.0"), (">1.2", ">=1.3.0"), ("<=1.2", "<1.3.0-0"), ("<=7.x", "<8.0.0-0"),
            ("=0.7.x", ">=0.7.0 <0.8.0-0"), (">X", "<0.0.0-0"), ("<X", "<0.0.0-0"), ("<x <* || >* 2.x", "<0.0.0-0"),
            (">x 2.x || * || <x", "*"),
            ("~2.4", ">=2.4.0 <2.5.0-0"), ("~>3.2.1", ">=3.2.1 <3.3.0-0"), ("~1", ">=1.0.0 <2.0.0-0"), ("~>1", ">=1.0.0 <2.0.0-0"),
            ("~> 1", ">=1.0.0 <2.0.0-0"), ("~1.0", ">=1.0.0 <1.1.0-0"), ("~ 1.0", ">=1.0.0 <1.1.0-0"),
            ("~1.2.3-beta.2", ">=1.2.3-beta.2 <1.3.0-0"), ("~0.0.1", ">=0.0.1 <0.1.0-0"),
            ("^0", "<1.0.0-0"), ("^ 1", ">=1.0.0 <2.0.0-0"), ("^0.1", ">=0.1.0 <0.2.0-0"), ("^1.0", ">=1.0.0 <2.0.0-0"),
            ("^1.2", ">=1.2.0 <2.0.0-0"), ("^0.0.1", ">=0.0.1 <0.0.2-0"), ("^0.0.1-beta", ">=0.0.1-beta <0.0.2-0"),
            ("^0.1.2", ">=0.1.2 <0.2.0-0"), ("^0.2.3", ">=0.2.3 <0.3.0-0"), ("^0.0.3", ">=0.0.3 <0.0.4-0"),
            ("^1.2.3", ">=1.2.3 <2.0.0-0"), ("^1.2.3-beta.4", ">=1.2.3-beta.4 <2.0.0-0"), ("^1", ">=1.0.0 <2.0.0-0"),
            ("^ 1.2 ^ 1", ">=1.2.0 <2.0.0-0 >=1.0.0"), ("3 ~>3", ">=3.0.0 <4.0.0-0"),
        ]
    )
    func normalizedForm(_ text: String, _ normalized: String) throws {
        let parsed = try range(text)
        #expect(parsed.normalized == normalized)
        // The canonical text is itself a range that admits the same versions.
        let reparsed = try range(normalized)
        for probe in ["0.0.0", "0.1.2", "1.0.0", "1.2.0", "1.2.3", "1.2.3-beta.5", "2.0.0", "2.4.1", "3.2.1", "9.0.0"] {
            #expect(try parsed.contains(version(probe)) == reparsed.contains(version(probe)), "\(text) vs \(probe)")
        }
    }

    @Test("The description keeps the text the user wrote, without surrounding whitespace")
    func descriptionKeepsUserText() throws {
        #expect(try range("  >= 1.0   <2 ").description == ">= 1.0   <2")
        #expect(try range("^1.2").description == "^1.2")
        #expect(try range("^1.2").normalized == ">=1.2.0 <2.0.0-0")
    }

    @Test("Ranges that admit the same versions in both modes are equal, whatever their spelling")
    func equality() throws {
        #expect(try range(">= 1.0.0") == range(">=1.0.0"))
        #expect(try range("1.2.3") == range("=1.2.3"))
        #expect(try range("1.2.3+a") == range("1.2.3+b"))
        #expect(try range("^1.2.3") == range(">=1.2.3 <2.0.0-0"))
        #expect(try range("1.2.x") == range("1.2"))
        #expect(try Set([range("~1.2"), range("~ 1.2"), range("~>1.2")]).count == 1)
        #expect(try range("^1.2.3") != range("^1.2.4"))
        // ^1.2 reaches down to 1.2.0-0 when prereleases are included and ^1.2.0 does not, so they differ.
        #expect(try range("^1.2") != range("^1.2.0"))
        #expect(try range("^1.2").contains(version("1.2.0-rc.1"), includingPrerelease: true))
        #expect(try !range("^1.2.0").contains(version("1.2.0-rc.1"), includingPrerelease: true))
    }

    @Test(
        "Invalid ranges are rejected with what is wrong and where",
        arguments: [
            (">=01.2.3", "major version '01' has a leading zero at offset 2", 2),
            ("^1.2.3-01", "numeric prerelease identifier '01' has a leading zero at offset 7", 7),
            ("1.2.3-", "prerelease after '-' is empty at offset 6", 6),
            ("1.2.3-a..b", "prerelease identifier at offset 8 is empty", 8),
            ("~v0.5.4-pre", "a 'v' prefix is not allowed at offset 1; write the version without it", 1),
            ("v1", "a 'v' prefix is not allowed at offset 0", 0),
            ("1.2.3 ||", "nothing follows the '||' at offset 6; remove it or add a range after it", 6),
            ("1.2.3 || || 2", "nothing follows the '||' at offset 6", 6),
            ("|| 1.2.3", "nothing precedes the '||' at offset 0; remove it or add a range before it", 0),
            ("||", "nothing precedes the '||' at offset 0", 0),
            ("1.2.3 | 1.2.4", "a single '|' at offset 6; write '||' to combine alternatives", 6),
            (">=", "expected a version after '>=' at offset 2", 2),
            ("^", "expected a version after '^' at offset 1", 1),
            ("~> || 1", "expected a version after '~>' at offset 3", 3),
            (">= ||", "expected a version after '>=' at offset 3", 3),
            ("1.x.3", "the patch version at offset 4 is a number after a wildcard; write 'x' or leave it out", 4),
            ("x.1", "the minor version at offset 2 is a number after a wildcard", 2),
            ("1.2-beta", "a prerelease at offset 3 needs a full major.minor.patch version before it", 3),
            ("1.2.x-beta", "a prerelease at offset 5 needs a full major.minor.patch version", 5),
            ("1.2.x+build", "build metadata at offset 5 needs a full major.minor.patch version", 5),
            ("1.2.3.4", "a version has at most three numeric parts, found more at offset 5", 5),
            ("1.", "the minor version is missing at offset 2", 2),
            (">=1.2.3<2.0.0", "unexpected character '<' at offset 7; separate comparators with spaces and alternatives with '||'", 7),
            ("1.2.3,1.2.4", "unexpected character ',' at offset 5", 5),
            ("~=1.4", "unexpected '=' at offset 1 after '~'; write one operator before the version", 1),
            ("==1.2.3", "unexpected '=' at offset 1 after '='", 1),
            (">= =1.2.3", "unexpected '=' at offset 3 after '>='", 3),
            ("=>1.2.3", "expected a number or a wildcard ('x', 'X', '*') for the major version at offset 1, found '>'", 1),
            ("abc", "expected a number or a wildcard ('x', 'X', '*') for the major version at offset 0, found 'a'", 0),
            (">= 1.0 é", "for the major version at offset 7, found 'é'", 7),
            ("1.2.3 -2.0.0", "the '-' at offset 6 needs a space on both sides to form a hyphen range", 6),
            (">=1.2.3 - 2.0.0", "the hyphen range at offset 8 takes plain versions on both sides, without operators, '~' or '^'", 8),
            ("^1.2.3 - 2.0.0", "takes plain versions on both sides", 7),
            ("1.0.0 1.2.0 - 2.0.0", "a hyphen range must be a whole alternative, but the '-' at offset 12 follows more than one version", 12),
            ("1.0.0 - 2.0.0 3.0.0", "a hyphen range must be a whole alternative; unexpected '3' at offset 14", 14),
            ("1.0.0 - ", "expected a version after '-' at offset 8", 8),
            ("1.0.0 - >=2", "expected a number or a wildcard ('x', 'X', '*') for the major version at offset 8, found '>'", 8),
            (">=99999999999999999999", "major version '99999999999999999999' at offset 2 is too large", 2),
            ("^9223372036854775807", "'9223372036854775807' at offset 1 has no upper bound: its major version is the largest supported number", 1),
            ("~1.9223372036854775807", "'1.9223372036854775807' at offset 1 has no upper bound: its minor version", 1),
            ("^0.0.9223372036854775807", "its patch version is the largest supported number", 1),
            ("<=9223372036854775807", "its major version is the largest supported number", 2),
        ]
    )
    func rejectsInvalidRanges(_ text: String, _ message: String, _ offset: Int) throws {
        let error = try #require(rangeError(text))
        #expect(error.code == "invalid_range")
        #expect(error.input == text)
        #expect(error.message.contains(message), "got: \(error.message)")
        #expect(error.offset == offset)
        #expect(error.description.hasPrefix("invalid range \""))
        #expect(VersionRange(text) == nil)
    }

    @Test("Bounds at the largest number that need no successor still parse")
    func largestNumbers() throws {
        let top = try range(">=9223372036854775807.0.0")
        #expect(top.contains(SemanticVersion(Int.max, 0, 0)))
        #expect(!top.contains(SemanticVersion(Int.max - 1, 99, 99)))
        #expect(try range("~9223372036854775807.1.0").contains(version("9223372036854775807.1.5")))
    }

    @Test("Text longer than the limit is refused before it is read")
    func rejectsOverlongText() throws {
        let text = Array(repeating: "1.2.3", count: 300).joined(separator: " || ")
        let error = try #require(rangeError(text))
        #expect(error.message == "range is \(text.count) characters long; the limit is 1024")
    }

    @Test("A range encodes as the user's text and decodes back to an equal range")
    func codableRoundTrip() throws {
        let dependencies = ["acme.hash": try range(">= 1.2 <2 || ^3.0.0-beta")]
        let data = try JSONEncoder().encode(dependencies)
        #expect(String(data: data, encoding: .utf8) == #"{"acme.hash":">= 1.2 <2 || ^3.0.0-beta"}"#)
        let decoded = try JSONDecoder().decode([String: VersionRange].self, from: data)
        #expect(decoded == dependencies)
        #expect(decoded["acme.hash"]?.description == ">= 1.2 <2 || ^3.0.0-beta")
    }

    @Test("Decoding an invalid range fails with the parse error underneath")
    func decodingInvalidRange() throws {
        let error = try #require(throws: DecodingError.self) {
            try JSONDecoder().decode(VersionRange.self, from: Data(#""^1.2 ||""#.utf8))
        }
        guard case .dataCorrupted(let context) = error else {
            Issue.record("expected dataCorrupted, got \(error)")
            return
        }
        let underlying = try #require(context.underlyingError as? VersionParseError)
        #expect(underlying.code == "invalid_range")
        #expect(underlying.offset == 5)
    }
}

@Suite("Choosing the best match from published versions")
struct VersionRangeBestMatchTests {
    static let published = [
        "1.0.0", "1.2.0", "1.2.3", "1.2.4", "1.3.0-beta.1", "1.9.9", "2.0.0", "2.1.0-rc.1", "0.1.0", "0.1.5",
    ]

    let versions: [SemanticVersion]

    init() throws {
        versions = try Self.published.map(version)
    }

    @Test("The highest admitted version wins, whatever the order of the candidates")
    func highestWins() throws {
        #expect(try range("^1.2").bestMatch(in: versions) == version("1.9.9"))
        #expect(try range("~1.2").bestMatch(in: versions) == version("1.2.4"))
        #expect(try range("^0.1").bestMatch(in: versions) == version("0.1.5"))
        #expect(try range("*").bestMatch(in: versions) == version("2.0.0"))
        #expect(try range("<1.2.4").bestMatch(in: versions) == version("1.2.3"))
        #expect(try range("^1.2").bestMatch(in: versions.reversed()) == version("1.9.9"))
        let interleaved = versions.enumerated().sorted { ($0.offset * 7) % 10 < ($1.offset * 7) % 10 }.map(\.element)
        #expect(try range("1.x || >=2.1.0-rc.0").bestMatch(in: interleaved) == version("2.1.0-rc.1"))
    }

    @Test("Nothing is returned when no candidate is admitted")
    func noMatch() throws {
        #expect(try range("^3").bestMatch(in: versions) == nil)
        #expect(try range("^1").bestMatch(in: [SemanticVersion]()) == nil)
        #expect(try range(">X").bestMatch(in: versions) == nil)
    }

    @Test("Prereleases are chosen only when the range names them or prereleases are included")
    func prereleases() throws {
        #expect(try range("1.3.x").bestMatch(in: versions) == nil)
        #expect(try range(">=1.3.0-beta.0 <1.3.0").bestMatch(in: versions) == version("1.3.0-beta.1"))
        #expect(try range("2.x").bestMatch(in: versions) == version("2.0.0"))
        #expect(try range("2.x").bestMatch(in: versions, includingPrerelease: true) == version("2.1.0-rc.1"))
    }

    @Test("Yanked versions are skipped by ranges")
    func yankedAreSkipped() throws {
        let yanked: Set<SemanticVersion> = [try version("1.9.9"), try version("1.2.4")]
        #expect(try range("^1.2").bestMatch(in: versions, isExcluded: yanked.contains) == version("1.2.3"))
        #expect(try range("~1.2").bestMatch(in: versions, isExcluded: yanked.contains) == version("1.2.3"))
        #expect(try range("1.2.4 || 1.2.3").bestMatch(in: versions, isExcluded: yanked.contains) == version("1.2.3"))
        #expect(try range("1.9.9 - 1.9.9").bestMatch(in: versions, isExcluded: yanked.contains) == nil)
        #expect(try range("~1.2.4").bestMatch(in: versions) { _ in true } == nil)
    }

    @Test("An exact pin still resolves a yanked version, as on PyPI")
    func exactPinResolvesYanked() throws {
        let yanked: Set<SemanticVersion> = [try version("1.2.4"), try version("2.1.0-rc.1")]
        for pin in ["1.2.4", "=1.2.4", "= 1.2.4", " 1.2.4+build.7 "] {
            let parsed = try range(pin)
            #expect(parsed.isExactPin, "\(pin)")
            #expect(parsed.exactVersion == (try version("1.2.4")))
            #expect(parsed.bestMatch(in: versions, isExcluded: yanked.contains) == (try version("1.2.4")), "\(pin)")
        }
        #expect(try range("=2.1.0-rc.1").bestMatch(in: versions, isExcluded: yanked.contains) == version("2.1.0-rc.1"))
        #expect(try range("1.2.5").bestMatch(in: versions, isExcluded: yanked.contains) == nil)
    }

    @Test("An exact pin does not even ask whether a version is excluded")
    func exactPinSkipsExclusionCheck() throws {
        var asked = 0
        let match = try range("1.2.3").bestMatch(in: versions) { _ in
            asked += 1
            return true
        }
        #expect(match == (try version("1.2.3")))
        #expect(asked == 0)
    }

    @Test(
        "Only ranges that name one version are exact pins",
        arguments: ["^1.2.3", "~1.2.3", "1.2", "1.2.x", ">=1.2.3", "1.2.3 || 1.2.4", "1.2.3 - 1.2.3", "*", ""]
    )
    func notPins(_ text: String) throws {
        let parsed = try range(text)
        #expect(!parsed.isExactPin)
        #expect(parsed.exactVersion == nil)
    }

    @Test("Among candidates of equal precedence the choice does not depend on their order")
    func equalPrecedenceCandidates() throws {
        let builds = try [version("1.2.3+b"), version("1.2.3+a")]
        let forward = try range("1.2.3").bestMatch(in: builds)
        let backward = try range("1.2.3").bestMatch(in: builds.reversed())
        #expect(forward == backward)
        #expect(forward?.precedenceEquals(try version("1.2.3")) == true)
    }
}
