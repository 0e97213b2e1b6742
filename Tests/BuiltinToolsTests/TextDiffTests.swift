import BuiltinTools
import Foundation
import TestSupport
import Testing
import ToolhostCore

@Suite("text_diff prints what GNU diff -u prints")
struct TextDiffTests {
    static func run(_ input: JSONValue) async throws(ToolFailure) -> JSONValue {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("toolhost-diff-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        return try await TextDiffTool().run(input, in: ToolContext(workspace: try Workspace(root: root)))
    }

    static func diff(_ original: String, _ modified: String, context: Int = 3) async throws -> String {
        let output = try await run([
            "original": .string(original), "modified": .string(modified), "contextLines": .int(context),
            "originalName": "A", "modifiedName": "B",
        ])
        return output["diff"]?.stringValue ?? "<no diff>"
    }

    static let gnuDiffPath = "/usr/bin/diff"

    /// What the real `diff -U<context> --label A --label B` prints for the two texts, run on temporary files.
    static func gnuDiff(_ original: String, _ modified: String, context: Int) async throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("toolhost-gnudiff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let fileA = directory.appendingPathComponent("a")
        let fileB = directory.appendingPathComponent("b")
        try Data(original.utf8).write(to: fileA)
        try Data(modified.utf8).write(to: fileB)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: gnuDiffPath)
        process.arguments = ["-U\(context)", "--label", "A", "--label", "B", fileA.path, fileB.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = try await offPool {
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return data
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// SplitMix64: a small seeded generator, so that a failing random case can be reproduced.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test("every manifest example holds")
    func examples() async throws {
        let failures = try await ExampleHarness().failures(of: "text_diff")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    @Test("on 400 random pairs of texts the output is byte-for-byte GNU diff's",
          .enabled(if: FileManager.default.isExecutableFile(atPath: gnuDiffPath)))
    func matchesGNUDiff() async throws {
        var generator = SeededGenerator(state: 20_240_601)
        let choices = ["a", "b", "c", "d", "", "a ", "x\r"]
        func randomText(lines: Int, using generator: inout SeededGenerator) -> String {
            let body = (0..<lines).map { _ in choices[Int(generator.next() % UInt64(choices.count))] }.joined(separator: "\n")
            return lines > 0 && generator.next() % 3 != 0 ? body + "\n" : body
        }
        var mismatches: [String] = []
        for round in 0..<400 {
            let original: String
            let modified: String
            if round % 2 == 0 {
                // Two unrelated texts over a few line choices: many equally short diffs to choose from.
                let long = round % 8 == 0
                original = randomText(lines: Int(generator.next() % (long ? 70 : 12)), using: &generator)
                modified = randomText(lines: Int(generator.next() % (long ? 70 : 12)), using: &generator)
            } else {
                // An edited copy: a few lines deleted, inserted or replaced, as real changes are.
                original = randomText(lines: Int(generator.next() % 40), using: &generator)
                var lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                for _ in 0..<Int(generator.next() % 5) {
                    let position = lines.isEmpty ? 0 : Int(generator.next() % UInt64(lines.count))
                    switch generator.next() % 3 {
                    case 0 where !lines.isEmpty: lines.remove(at: position)
                    case 1: lines.insert(choices[Int(generator.next() % UInt64(choices.count))], at: position)
                    default: if !lines.isEmpty { lines[position] = choices[Int(generator.next() % UInt64(choices.count))] }
                    }
                }
                modified = lines.joined(separator: "\n")
            }
            let context = [0, 1, 2, 3, 5][Int(generator.next() % 5)]
            let expected = try await Self.gnuDiff(original, modified, context: context)
            let actual = try await Self.diff(original, modified, context: context)
            if actual != expected {
                mismatches.append("round \(round), -U\(context)\noriginal: \(original.debugDescription)\nmodified: \(modified.debugDescription)\n"
                    + "GNU diff:\n\(expected)\ntext_diff:\n\(actual)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) of 400 differ; first:\n\(mismatches.first ?? "")")
    }

    @Test("additions to and removals from an empty text use the l,0 range")
    func emptyTexts() async throws {
        #expect(try await Self.diff("", "x\ny\n") == "--- A\n+++ B\n@@ -0,0 +1,2 @@\n+x\n+y\n")
        #expect(try await Self.diff("x\n", "") == "--- A\n+++ B\n@@ -1 +0,0 @@\n-x\n")
        #expect(try await Self.diff("", "") == "")
    }

    @Test("a line that only loses its final newline is changed, and both sides say so")
    func missingNewline() async throws {
        #expect(try await Self.diff("a\nb\n", "a\nb") == "--- A\n+++ B\n@@ -1,2 +1,2 @@\n a\n-b\n+b\n\\ No newline at end of file\n")
        #expect(try await Self.diff("a\nb", "a\nc")
            == "--- A\n+++ B\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n")
        #expect(try await Self.diff("a\nz", "b\nz", context: 1) == "--- A\n+++ B\n@@ -1,2 +1,2 @@\n-a\n+b\n z\n\\ No newline at end of file\n")
    }

    @Test("lines split at \\n only: a \\r stays part of its line")
    func carriageReturns() async throws {
        #expect(try await Self.diff("a\r\nb\r\n", "a\nb\r\n") == "--- A\n+++ B\n@@ -1,2 +1,2 @@\n-a\r\n+a\n b\r\n")
    }

    @Test("changes 2·context lines apart share a hunk; one line further apart they do not")
    func hunkMerging() async throws {
        let original = (1...12).map { "\($0)\n" }.joined()
        let close = original.replacingOccurrences(of: "2\n3\n", with: "2\nthree\n").replacingOccurrences(of: "\n8\n", with: "\neight\n")
        let output = try await Self.run(["original": .string(original), "modified": .string(close), "contextLines": 2])
        #expect(output["stats"] == ["added": 2, "removed": 2, "hunks": 1])
        let far = original.replacingOccurrences(of: "2\n3\n", with: "2\nthree\n").replacingOccurrences(of: "\n9\n", with: "\nnine\n")
        let split = try await Self.run(["original": .string(original), "modified": .string(far), "contextLines": 2])
        #expect(split["stats"] == ["added": 2, "removed": 2, "hunks": 2])
        #expect(split["diff"]?.stringValue?.hasPrefix("--- a\n+++ b\n@@ -1,5 +1,5 @@\n") == true, "default labels")
        #expect(split["identical"] == false)
    }

    @Test("with no context, each change is its own hunk of changed lines only")
    func zeroContext() async throws {
        #expect(try await Self.diff("a\nb\nc\nd\n", "a\nB\nc\nD\n", context: 0)
            == "--- A\n+++ B\n@@ -2 +2 @@\n-b\n+B\n@@ -4 +4 @@\n-d\n+D\n")
        #expect(try await Self.diff("a\nb\n", "a\nx\nb\n", context: 0) == "--- A\n+++ B\n@@ -1,0 +2 @@\n+x\n")
    }

    @Test("equal texts give an empty diff even when only canonically equivalent texts would differ")
    func identicalBytes() async throws {
        let output = try await Self.run(["original": "same\n", "modified": "same\n"])
        #expect(output == ["diff": "", "identical": true, "stats": ["added": 0, "removed": 0, "hunks": 0]])
        let composed = try await Self.run(["original": "caf\u{e9}\n", "modified": "cafe\u{301}\n"])
        #expect(composed["identical"] == false, "é and e + combining acute are different bytes")
    }

    @Test("a label with a line break is refused naming the field")
    func badLabel() async {
        do {
            _ = try await Self.run(["original": "a", "modified": "b", "originalName": "x\ny"])
            Issue.record("a two-line label was accepted")
        } catch {
            #expect(error.kind == .invalidArgument)
            #expect(error.message.hasPrefix("originalName: "))
        }
    }

    @Test("a large diff of 200,000 lines finishes and counts every change")
    func largeInput() async throws {
        let original = (0..<200_000).map { "line \($0)\n" }.joined()
        let modified = (0..<200_000).map { $0 % 1000 == 0 ? "changed \($0)\n" : "line \($0)\n" }.joined()
        let output = try await Self.run(["original": .string(original), "modified": .string(modified), "contextLines": 0])
        #expect(output["stats"] == ["added": 200, "removed": 200, "hunks": 200])
    }
}
