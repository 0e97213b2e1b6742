import BuiltinTools
import Foundation
import Testing
import ToolhostCore

@Suite("The regex tool")
struct RegexTests {
    @Test("every manifest example holds")
    func examples() async throws {
        let failures = try await ExampleHarness().failures(of: "regex")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    @Test("catastrophic backtracking fails with a timeout naming timeoutMs, within twice the limit")
    func catastrophicBacktrackingTimesOut() async throws {
        for (pattern, text) in [("(a+)+$", String(repeating: "a", count: 40) + "b"), ("(x+x+)+y", String(repeating: "x", count: 5000))] {
            let started = ContinuousClock.now
            let failure = await failure(of: ["pattern": .string(pattern), "text": .string(text), "timeoutMs": 500])
            let elapsed = ContinuousClock.now - started
            #expect(failure?.kind == .timeout, "\(pattern): \(String(describing: failure))")
            #expect(failure?.message.hasPrefix("timeoutMs: ") == true)
            #expect(failure?.message.contains("500 ms") == true)
            #expect(elapsed < .milliseconds(1000), "\(pattern) took \(elapsed)")
        }
    }

    @Test("a timeout also stops replace and split")
    func timeoutInOtherModes() async {
        for mode in ["replace", "split"] {
            let failure = await failure(of: [
                "mode": .string(mode), "pattern": "(a|aa)+$", "text": .string(String(repeating: "a", count: 60) + "!"), "timeoutMs": 100,
            ])
            #expect(failure?.kind == .timeout, "\(mode)")
        }
    }

    @Test("named groups report their names; back-references by number and name work")
    func namedGroupsAndBackReferences() async throws {
        let output = try await regex(["pattern": "(?<word>\\w+) \\k<word>|(\\d)\\2", "text": "hello hello 77"])
        #expect(output["matchCount"] == 2)
        #expect(output["matches"]?[0]?["groups"] == [["text": "hello", "start": 0, "end": 5, "name": "word"], nil])
        #expect(output["matches"]?[1]?["groups"] == [nil, ["text": "7", "start": 12, "end": 13]])
    }

    @Test("lookbehind, lookahead, Unicode properties, possessive and lazy quantifiers")
    func syntax() async throws {
        let cases: [(String, String, [String])] = [
            ("(?<=\\$)\\d+", "cost $42 or 7", ["42"]),
            ("\\w+(?=!)", "hi there!", ["there"]),
            ("\\p{L}+", "héllo wörld 123 日本", ["héllo", "wörld", "日本"]),
            ("a++a", "aaaa", []),
            ("<.+?>", "<a><b>", ["<a>", "<b>"]),
            ("<.+>", "<a><b>", ["<a><b>"]),
            ("\\bcat\\b", "cat concat cat.", ["cat", "cat"]),
        ]
        for (pattern, text, expected) in cases {
            let output = try await regex(["pattern": .string(pattern), "text": .string(text)])
            let texts = output["matches"]?.arrayValue?.compactMap { $0["text"]?.stringValue }
            #expect(texts == expected, "\(pattern)")
        }
    }

    @Test("offsets count code points: an emoji outside the BMP is one")
    func astralOffsets() async throws {
        let output = try await regex(["pattern": ".b", "text": "😀😀b"])
        #expect(output["matches"] == [["text": "😀b", "start": 1, "end": 3, "groups": []]])
    }

    @Test("after an empty match the search resumes one code point further, also past an emoji")
    func emptyMatchesAdvance() async throws {
        let matches = try await regex(["pattern": "x*", "text": "a😀b"])
        #expect(matches["matches"]?.arrayValue?.compactMap { $0["start"]?.intValue } == [0, 1, 2, 3])
        let replaced = try await regex(["mode": "replace", "pattern": "x*", "text": "a😀b", "replacement": "-"])
        #expect(replaced["result"] == "-a-😀-b-")
        #expect(replaced["replacements"] == 4)
        let mixed = try await regex(["mode": "replace", "pattern": "b*", "text": "ab", "replacement": "-"])
        #expect(mixed["result"] == "-a--")
    }

    @Test("flags: s lets . match a line break, x ignores whitespace and comments, i folds case")
    func flags() async throws {
        #expect(try await regex(["pattern": "a.b", "text": "a\nb"])["matchCount"] == 0)
        #expect(try await regex(["pattern": "a.b", "text": "a\nb", "flags": "s"])["matchCount"] == 1)
        #expect(try await regex(["pattern": "\\d+ # digits\n - \\d+", "text": "12-34", "flags": "x"])["matches"]?[0]?["text"] == "12-34")
        #expect(try await regex(["pattern": "STRASSE", "text": "strasse", "flags": "i"])["matchCount"] == 1)
        #expect(try await regex(["pattern": "^b", "text": "a\nb"])["matchCount"] == 0)
        #expect(try await regex(["pattern": "^b", "text": "a\nb", "flags": "m"])["matchCount"] == 1)
    }

    @Test("a repeated or unknown flag is an invalid argument naming flags")
    func badFlags() async {
        for flags in ["ii", "g"] {
            let failure = await failure(of: ["pattern": "a", "text": "a", "flags": .string(flags)])
            #expect(failure?.kind == .invalidArgument)
            #expect(failure?.message.hasPrefix("flags: ") == true)
        }
    }

    @Test("replacement syntax: $0, $1, ${1}, ${name}, $$, two-digit groups, and literal rest")
    func replacementSyntax() async throws {
        let cases: [(String, String, String, String)] = [
            ("(\\w+)@(\\w+)", "ada@home", "$2 at $1 [$0]", "home at ada [ada@home]"),
            ("(a)", "a", "${1}0 $10", "a0 a0"),
            ("(?<first>\\w+) (?<last>\\w+)", "Ada Lovelace", "${last}, ${first}", "Lovelace, Ada"),
            ("(\\d+)", "5", "$$$1 \\n $ $x ${", "$5 \\n $ $x ${"),
            ("(a)|(b)", "b", "[$1|$2]", "[|b]"),
            ("(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)", "abcdefghij", "$10-$9", "j-i"),
        ]
        for (pattern, text, replacement, expected) in cases {
            let output = try await regex(["mode": "replace", "pattern": .string(pattern), "text": .string(text),
                                          "replacement": .string(replacement)])
            #expect(output["result"] == .string(expected), "\(replacement)")
        }
    }

    @Test("a replacement referring to a group that does not exist is an invalid argument naming replacement")
    func replacementUnknownGroup() async {
        for replacement in ["$2", "${2}", "${nope}"] {
            let failure = await failure(of: ["mode": "replace", "pattern": "(a)", "text": "a", "replacement": .string(replacement)])
            #expect(failure?.kind == .invalidArgument, "\(replacement)")
            #expect(failure?.message.hasPrefix("replacement: ") == true, "\(replacement)")
        }
    }

    @Test("count limits replacements from the left; maxSplits limits splits; maxMatches truncates")
    func limits() async throws {
        let replaced = try await regex(["mode": "replace", "pattern": "o", "text": "foo boo", "replacement": "0", "count": 3])
        #expect(replaced["result"] == "f00 b0o")
        #expect(replaced["replacements"] == 3)
        let split = try await regex(["mode": "split", "pattern": ",", "text": "a,b,c,d", "maxSplits": 2])
        #expect(split["parts"] == ["a", "b", "c,d"])
        let matches = try await regex(["pattern": "\\d", "text": "12345", "maxMatches": 2])
        #expect(matches["matchCount"] == 2)
        #expect(matches["truncated"] == true)
        let exact = try await regex(["pattern": "\\d", "text": "12", "maxMatches": 2])
        #expect(exact["truncated"] == false)
    }

    @Test("split keeps leading and trailing empty parts; no match gives the whole text")
    func splitEdges() async throws {
        #expect(try await regex(["mode": "split", "pattern": ",", "text": ",a,,b,"])["parts"] == ["", "a", "", "b", ""])
        #expect(try await regex(["mode": "split", "pattern": ";", "text": "a,b"])["parts"] == ["a,b"])
        #expect(try await regex(["mode": "split", "pattern": "x", "text": ""])["parts"] == [""])
    }

    @Test("an invalid pattern is an invalid argument naming pattern and the position")
    func invalidPattern() async {
        for pattern in ["(ab", "a{2,1}", "[z-a]", "(?<=a+)b", "\\p{Nope}"] {
            let failure = await failure(of: ["pattern": .string(pattern), "text": "x"])
            #expect(failure?.kind == .invalidArgument, "\(pattern)")
            #expect(failure?.message.hasPrefix("pattern: invalid regular expression") == true, "\(pattern): \(failure?.message ?? "")")
        }
        let unbalanced = await failure(of: ["pattern": "(ab", "text": "x"])
        #expect(unbalanced?.message.contains("position 3") == true, "\(unbalanced?.message ?? "")")
    }

    @Test("a result beyond the output limit is refused as too large instead of filling memory")
    func outputLimit() async throws {
        let root = try temporaryWorkspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let context = ToolContext(workspace: try Workspace(root: root), limits: ToolLimits(outputBytes: 1000))
        do {
            _ = try await RegexTool().run(
                ["mode": "replace", "pattern": "x*", "text": .string(String(repeating: "a", count: 100)),
                 "replacement": .string(String(repeating: "b", count: 50))], in: context)
            Issue.record("no failure")
        } catch {
            #expect(error.kind == .tooLarge)
        }
    }

    private func regex(_ input: JSONValue) async throws -> JSONValue {
        let root = try temporaryWorkspace()
        defer { try? FileManager.default.removeItem(at: root) }
        return try await RegexTool().run(input, in: ToolContext(workspace: try Workspace(root: root)))
    }

    private func failure(of input: JSONValue) async -> ToolFailure? {
        do {
            _ = try await regex(input)
            return nil
        } catch let failure as ToolFailure {
            return failure
        } catch {
            return ToolFailure(.internalError, "\(error)")
        }
    }

    private func temporaryWorkspace() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("toolhost-regex-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        return root
    }
}
