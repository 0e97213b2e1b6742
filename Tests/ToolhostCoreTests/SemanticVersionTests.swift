import Foundation
import Testing
import ToolhostCore

private func version(_ text: String) throws -> SemanticVersion {
    try SemanticVersion(parsing: text)
}

private func parseError(_ text: String) -> VersionParseError? {
    do {
        _ = try SemanticVersion(parsing: text)
        return nil
    } catch {
        return error
    }
}

@Suite("Parsing semantic versions")
struct SemanticVersionParsingTests {
    @Test("A full version is split into numbers, prerelease identifiers and build identifiers")
    func splitsAllParts() throws {
        let parsed = try version("1.4.12-rc.2+sha.5114f85.001")
        #expect(parsed.major == 1)
        #expect(parsed.minor == 4)
        #expect(parsed.patch == 12)
        #expect(parsed.prerelease == ["rc", "2"])
        #expect(parsed.build == ["sha", "5114f85", "001"])
        #expect(parsed.isPrerelease)
        #expect(parsed == SemanticVersion(1, 4, 12, prerelease: ["rc", "2"], build: ["sha", "5114f85", "001"]))
    }

    @Test("A release has no prerelease and is not a prerelease, even with build metadata")
    func releaseIsNotPrerelease() throws {
        let parsed = try version("2.0.0+build.7")
        #expect(parsed.prerelease.isEmpty)
        #expect(!parsed.isPrerelease)
    }

    /// The valid examples listed by semver.org for its official regular expression.
    @Test(
        "Every version that semver.org lists as valid parses and prints back unchanged",
        arguments: [
            "0.0.4", "1.2.3", "10.20.30", "1.1.2-prerelease+meta", "1.1.2+meta", "1.1.2+meta-valid", "1.0.0-alpha",
            "1.0.0-beta", "1.0.0-alpha.beta", "1.0.0-alpha.beta.1", "1.0.0-alpha.1", "1.0.0-alpha0.valid",
            "1.0.0-alpha.0valid", "1.0.0-alpha-a.b-c-somethinglong+build.1-aef.1-its-okay", "1.0.0-rc.1+build.1",
            "2.0.0-rc.1+build.123", "1.2.3-beta", "10.2.3-DEV-SNAPSHOT", "1.2.3-SNAPSHOT-123", "1.0.0", "2.0.0", "1.1.7",
            "2.0.0+build.1848", "2.0.1-alpha.1227", "1.0.0-alpha+beta", "1.2.3----RC-SNAPSHOT.12.9.1--.12+788",
            "1.2.3----R-S.12.9.1--.12+meta", "1.2.3----RC-SNAPSHOT.12.9.1--.12", "1.0.0+0.build.1-rc.10000aaa-kk-0.1",
            "1.0.0-0A.is.legal", "9223372036854775807.9223372036854775807.9223372036854775807",
        ]
    )
    func acceptsValidVersions(_ text: String) throws {
        let parsed = try version(text)
        #expect(parsed.description == text)
        #expect(SemanticVersion(text) == parsed)
    }

    /// The invalid examples listed by semver.org, plus a few that loose parsers (npm's among them) let through.
    @Test(
        "Every version that semver.org lists as invalid is rejected as invalid_version",
        arguments: [
            "1", "1.2", "1.2.3-0123", "1.2.3-0123.0123", "1.1.2+.123", "+invalid", "-invalid", "-invalid+invalid",
            "-invalid.01", "alpha", "alpha.beta", "alpha.beta.1", "alpha.1", "alpha+beta", "alpha_beta", "alpha.",
            "alpha..", "beta", "1.0.0-alpha_beta", "-alpha.", "1.0.0-alpha..", "1.0.0-alpha..1", "1.0.0-alpha...1",
            "1.0.0-alpha....1", "01.1.1", "1.01.1", "1.1.01", "1.2.3.DEV", "1.2-SNAPSHOT",
            "1.2.31.2.3----RC-SNAPSHOT.12.09.1--..12+788", "1.2-RC-SNAPSHOT", "-1.0.3-gamma+b7718", "+justmeta",
            "9.8.7+meta+meta", "9.8.7-whatever+meta+meta",
            "99999999999999999999999.999999999999999999.99999999999999999----RC-SNAPSHOT.12.09.1--------------------------------..12",
            "", "v1.2.3", "=1.2.3", " 1.2.3", "1.2.3 ", "1.2.3\n", "1.2.x", "1.2.*", "1.2.3-", "1.2.3+", "1..3", "1.2.3-é",
        ]
    )
    func rejectsInvalidVersions(_ text: String) {
        let error = parseError(text)
        #expect(error?.code == "invalid_version")
        #expect(error?.input == text)
        #expect(SemanticVersion(text) == nil)
    }

    @Test(
        "Each kind of mistake is reported with what is wrong and where",
        arguments: [
            ("01.2.3", "major version '01' has a leading zero at offset 0", 0),
            ("1.02.3", "minor version '02' has a leading zero at offset 2", 2),
            ("1.2.03", "patch version '03' has a leading zero at offset 4", 4),
            ("1.2.3-01", "numeric prerelease identifier '01' has a leading zero at offset 6", 6),
            ("1.2.3-rc.007", "numeric prerelease identifier '007' has a leading zero at offset 9", 9),
            ("1.2.3-", "prerelease after '-' is empty at offset 6", 6),
            ("1.2.3-alpha..1", "prerelease identifier at offset 12 is empty", 12),
            ("1.2.3-alpha.", "prerelease identifier at offset 12 is empty", 12),
            ("1.2.3-.alpha", "prerelease identifier at offset 6 is empty", 6),
            ("1.2.3+", "build metadata after '+' is empty at offset 6", 6),
            ("1.2.3+a..b", "build metadata identifier at offset 8 is empty", 8),
            ("1", "minor version is missing at offset 1; a version has the form major.minor.patch", 1),
            ("1.2", "patch version is missing at offset 3; a version has the form major.minor.patch", 3),
            ("1.2-beta", "patch version is missing at offset 3 (found '-')", 3),
            ("1.", "minor version is missing at offset 2", 2),
            ("1..3", "expected a digit for the minor version at offset 2, found '.'", 2),
            ("1.2.3.4", "a version has exactly three numeric parts, found more at offset 5", 5),
            ("1.a.3", "expected a digit for the minor version at offset 2, found 'a'", 2),
            ("-1.0.0", "expected a digit for the major version at offset 0, found '-'", 0),
            (" 1.2.3", "expected a digit for the major version at offset 0, found ' '", 0),
            ("1.2.3 ", "unexpected character ' ' after the patch version at offset 5", 5),
            ("1.2.3-alpha_1", "invalid character '_' in prerelease at offset 11; identifiers use only ASCII letters, digits and '-'", 11),
            ("1.2.3+build!", "invalid character '!' in build metadata at offset 11", 11),
            ("1.2.3-beta+exp+meta", "invalid character '+' in build metadata at offset 14", 14),
            ("1.2.3-é", "invalid character 'é' in prerelease at offset 6", 6),
            ("1.2.3-\t", "invalid character '\\t' in prerelease at offset 6", 6),
            ("v1.2.3", "a version does not start with 'v'; write '1.2.3' instead", 0),
            ("", "version is empty", 0),
        ]
    )
    func reportsSpecificMistakes(_ text: String, _ message: String, _ offset: Int) throws {
        let error = try #require(parseError(text))
        #expect(error.code == VersionParseError.invalidVersion)
        #expect(error.message.contains(message), "got: \(error.message)")
        #expect(error.offset == offset)
    }

    @Test("A number larger than Int.max is rejected as too large rather than wrapped or truncated")
    func rejectsOverflow() throws {
        let error = try #require(parseError("99999999999999999999999.999999999.99999999"))
        #expect(
            error.message
                == "major version '99999999999999999999999' at offset 0 is too large; "
                + "the largest supported number is 9223372036854775807"
        )
        #expect(error.offset == 0)

        let minor = try #require(parseError("1.9223372036854775808.0"))
        #expect(minor.message.hasPrefix("minor version '9223372036854775808' at offset 2 is too large"))
        #expect(try version("1.9223372036854775807.0").minor == Int.max)
    }

    @Test("Numeric prerelease identifiers of any size are valid and compare as numbers")
    func acceptsHugePrereleaseNumbers() throws {
        let huge = try version("1.0.0-99999999999999999999999")
        #expect(huge.prerelease == ["99999999999999999999999"])
        #expect(try version("1.0.0-9999999999999999999") < huge)
        #expect(try huge < version("1.0.0-100000000000000000000000"))
        #expect(try huge < version("1.0.0-a"))
    }

    @Test("Text longer than 256 characters is refused before it is read, with a shortened input")
    func rejectsOverlongText() throws {
        let text = "1.2.3-" + String(repeating: "a", count: 300)
        let error = try #require(parseError(text))
        #expect(error.message == "version is 306 characters long; the limit is 256")
        #expect(error.input.count == 65)
        #expect(try version("1.2.3-" + String(repeating: "a", count: 250)).prerelease[0].count == 250)
    }

    @Test("The error's description names the kind of input, the input and the problem")
    func errorDescription() throws {
        let error = try #require(parseError("1.02.3"))
        #expect(error.description == "invalid version \"1.02.3\": minor version '02' has a leading zero at offset 2")
    }
}

@Suite("Ordering semantic versions")
struct SemanticVersionOrderingTests {
    static let specChain = [
        "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1",
        "1.0.0",
    ]

    @Test("The precedence chain from SemVer §11 holds link by link", arguments: zip(specChain, specChain.dropFirst()))
    func specChainLinks(_ lower: String, _ higher: String) throws {
        let (low, high) = (try version(lower), try version(higher))
        #expect(low < high)
        #expect(!(high < low))
        #expect(low.hasLowerPrecedence(than: high))
        #expect(!low.precedenceEquals(high))
    }

    @Test("Sorting the spec's versions from any order restores the spec's chain")
    func sortingRestoresChain() throws {
        let versions = try Self.specChain.map(version)
        for seed in 0..<5 {
            var generator = SplitMix(seed: UInt64(seed))
            #expect(versions.shuffled(using: &generator).sorted() == versions)
        }
    }

    @Test(
        "Numbers compare numerically, prereleases sort below their release, and identifiers follow §11.4",
        arguments: [
            ("1.9.0", "1.10.0"), ("1.10.0", "1.11.0"), ("1.99.99", "2.0.0"), ("0.0.9", "0.0.10"),
            ("2.0.0-rc.1", "2.0.0"), ("1.9.9", "2.0.0-alpha"),
            ("1.0.0-1", "1.0.0-a"), ("1.0.0-2", "1.0.0-10"), ("1.0.0-a", "1.0.0-a.0"), ("1.0.0-0", "1.0.0-0.0"),
            ("1.0.0-Beta", "1.0.0-alpha"), ("1.0.0-alpha-1", "1.0.0-alpha1"), ("1.0.0-0A", "1.0.0-A"),
            ("1.0.0-999", "1.0.0-0A"),
        ]
    )
    func pairwiseOrder(_ lower: String, _ higher: String) throws {
        #expect(try version(lower) < version(higher))
        #expect(try version(lower).hasLowerPrecedence(than: version(higher)))
    }

    @Test("Build metadata is ignored for precedence but not for equality")
    func buildMetadataAndEquality() throws {
        let (a, b) = (try version("1.0.0+a"), try version("1.0.0+b"))
        #expect(a.precedenceEquals(b))
        #expect(a.precedenceEquals(try version("1.0.0")))
        #expect(a != b)
        #expect(Set([a, b, try version("1.0.0+a")]).count == 2)
        // Precedence always wins over the build tie-break.
        #expect(try version("1.0.0-alpha+zzz") < version("1.0.0-beta+aaa"))
        #expect(try version("1.0.0+zzz") < version("1.0.1+aaa"))
    }

    @Test("Equal precedence falls back to build metadata, so exactly one of <, ==, > holds")
    func buildTieBreak() throws {
        #expect(try version("1.0.0") < version("1.0.0+a"))
        #expect(try version("1.0.0+a") < version("1.0.0+a.b"))
        #expect(try version("1.0.0+a.b") < version("1.0.0+b"))
        #expect(try version("1.0.0+001") < version("1.0.0+1"))
    }

    @Test("The order is lawful: trichotomous, transitive, and consistent with == and hashing")
    func orderIsLawful() throws {
        let sample = try [
            "0.0.0", "0.0.0-0", "1.0.0", "1.0.0+a", "1.0.0+b", "1.0.0+a.1", "1.0.0-alpha", "1.0.0-alpha+x", "1.0.0-alpha.1",
            "1.0.0-alpha.beta", "1.0.0-1", "1.0.0-01a", "1.0.0-rc.1+build.2", "1.0.1", "1.1.0", "2.0.0-0", "10.0.0",
        ].map(version)
        for a in sample {
            for b in sample {
                let relations = [a < b, a == b, b < a].filter { $0 }
                #expect(relations.count == 1, "\(a) vs \(b)")
                if a == b { #expect(a.hashValue == b.hashValue) }
                if a.precedenceEquals(b) { #expect(!a.hasLowerPrecedence(than: b) && !b.hasLowerPrecedence(than: a)) }
                for c in sample where a < b && b < c {
                    #expect(a < c, "\(a) < \(b) < \(c)")
                }
            }
        }
    }
}

@Suite("Building, printing and coding semantic versions")
struct SemanticVersionValueTests {
    @Test("The memberwise initializer builds the same value that parsing does")
    func initializerMatchesParsing() throws {
        #expect(SemanticVersion(1, 2, 3) == (try version("1.2.3")))
        #expect(
            SemanticVersion(1, 0, 0, prerelease: ["alpha", "1"], build: ["exp", "sha", "5114f85"]).description
                == "1.0.0-alpha.1+exp.sha.5114f85"
        )
    }

    @Test("Changing a part keeps the value valid and printable")
    func mutation() throws {
        var value = try version("1.2.3-beta.1")
        value.minor += 1
        value.prerelease = []
        value.build = ["ci", "42"]
        #expect(value.description == "1.3.3+ci.42")
        #expect(try version(value.description) == value)
    }

    @Test("Invalid parts passed to the initializer stop the program instead of producing an unprintable value")
    func initializerPreconditions() async {
        await #expect(processExitsWith: .failure) {
            _ = SemanticVersion(-1, 0, 0)
        }
        await #expect(processExitsWith: .failure) {
            _ = SemanticVersion(1, 0, 0, prerelease: ["01"])
        }
        await #expect(processExitsWith: .failure) {
            var value = SemanticVersion(1, 0, 0)
            value.build = [""]
        }
    }

    @Test("A version encodes as a single JSON string and decodes back to an equal value")
    func codableRoundTrip() throws {
        struct Manifest: Codable, Equatable {
            var name: String
            var version: SemanticVersion
        }
        let manifest = Manifest(name: "acme/hash", version: try version("1.4.0-rc.2+sha.5114f85"))
        let data = try JSONEncoder().encode(manifest)
        let json = try #require(String(data: data, encoding: .utf8))
        #expect(json.contains(#""version":"1.4.0-rc.2+sha.5114f85""#))
        #expect(try JSONDecoder().decode(Manifest.self, from: data) == manifest)
    }

    @Test("Decoding an invalid version fails with the parse error underneath")
    func decodingInvalidVersion() throws {
        let data = Data(#"["1.2.03"]"#.utf8)
        let error = try #require(throws: DecodingError.self) {
            try JSONDecoder().decode([SemanticVersion].self, from: data)
        }
        guard case .dataCorrupted(let context) = error else {
            Issue.record("expected dataCorrupted, got \(error)")
            return
        }
        let underlying = try #require(context.underlyingError as? VersionParseError)
        #expect(underlying.code == "invalid_version")
        #expect(underlying.message == "patch version '03' has a leading zero at offset 4")
        #expect(context.debugDescription.contains("1.2.03"))
    }
}

/// A small seeded generator so that shuffles in tests are reproducible.
private struct SplitMix: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
