import BuiltinTools
import Foundation
import Testing
import ToolhostCore

@Suite("The file_search tool")
struct FileSearchTests {
    @Test("every manifest example holds")
    func examples() async throws {
        let failures = try await ExampleHarness().failures(of: "file_search")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    /// A workspace with a small tree: files at several depths, hidden ones, links, and names whose
    /// order differs between "directory first" and code point order.
    private func makeTree() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("toolhost-search-\(UUID().uuidString)")
        let files = [
            "a.txt": "alpha\nTODO one\n", "b.md": "beta\n", "a-b.txt": "x\n", "dir/c.txt": "gamma\r\ntodo two\r\n",
            "dir/sub/d.txt": "delta\nTODO three", "dir/.f.txt": "TODO hidden\n", ".hidden/e.txt": "TODO hidden too\n",
            "x[1].txt": "bracket\n",
        ]
        for (path, content) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try content.write(to: url, atomically: true, encoding: .utf8)
        }
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("link-dir").path, withDestinationPath: "dir")
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("link.txt").path, withDestinationPath: "a.txt")
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("out").path, withDestinationPath: "/etc")
        return root
    }

    private func search(_ input: JSONValue, in root: URL, timeoutMs: Int? = nil) async throws(ToolFailure) -> JSONValue {
        try await FileSearchTool().run(input, in: ToolContext(workspace: try Workspace(root: root), limits: ToolLimits(timeoutMs: timeoutMs)))
    }

    private func paths(_ output: JSONValue) -> [String] {
        output["matches"]?.arrayValue?.compactMap { $0["path"]?.stringValue } ?? []
    }

    @Test("glob semantics: * stays in a segment, ** spans directories (also none), ?, classes and {a,b}")
    func globSemantics() async throws {
        let root = try makeTree()
        defer { try? FileManager.default.removeItem(at: root) }
        let cases: [(String, [String])] = [
            ("*.txt", ["a-b.txt", "a.txt", "x[1].txt"]),
            ("**/*.txt", ["a-b.txt", "a.txt", "dir/c.txt", "dir/sub/d.txt", "x[1].txt"]),
            ("dir/**", ["dir/c.txt", "dir/sub/d.txt"]),
            ("dir/**/d.txt", ["dir/sub/d.txt"]),
            ("**/sub/*", ["dir/sub/d.txt"]),
            ("**", ["a-b.txt", "a.txt", "b.md", "dir/c.txt", "dir/sub/d.txt", "x[1].txt"]),
            ("{a,b}.*", ["a.txt", "b.md"]),
            ("{dir/sub,nowhere}/*.txt", ["dir/sub/d.txt"]),
            ("?.txt", ["a.txt"]),
            ("[ab].*", ["a.txt", "b.md"]),
            ("[!a].*", ["b.md"]),
            ("x\\[1\\].txt", ["x[1].txt"]),
            ("A.TXT", []),
            ("dir", []),
        ]
        for (glob, expected) in cases {
            let output = try await search(["glob": .string(glob)], in: root)
            #expect(paths(output) == expected, "\(glob)")
            #expect(output["filesSearched"] == .int(expected.count), "\(glob)")
        }
    }

    @Test("results are ordered by path in code point order, so a.txt comes before a/… and after a-b.txt")
    func ordering() async throws {
        let root = try makeTree()
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("a"), withIntermediateDirectories: true)
        try "z".write(to: root.appendingPathComponent("a/z.txt"), atomically: true, encoding: .utf8)
        let output = try await search(["glob": "**/*.txt"], in: root)
        #expect(Array(paths(output).prefix(3)) == ["a-b.txt", "a.txt", "a/z.txt"])
    }

    @Test("hidden files and directories are skipped unless includeHidden; symbolic links are never followed")
    func hiddenAndLinks() async throws {
        let root = try makeTree()
        defer { try? FileManager.default.removeItem(at: root) }
        let hidden = try await search(["glob": "**/*.txt", "includeHidden": true], in: root)
        #expect(paths(hidden) == [".hidden/e.txt", "a-b.txt", "a.txt", "dir/.f.txt", "dir/c.txt", "dir/sub/d.txt", "x[1].txt"])
        let grep = try await search(["pattern": "hidden"], in: root)
        #expect(paths(grep).isEmpty)
        let links = try await search(["glob": "link*"], in: root)
        #expect(paths(links).isEmpty)
    }

    @Test("directory narrows the search but paths stay relative to the root; bad directories are refused by name")
    func directory() async throws {
        let root = try makeTree()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = try await search(["glob": "**/*.txt", "directory": "dir"], in: root)
        #expect(paths(output) == ["dir/c.txt", "dir/sub/d.txt"])
        let narrowed = try await search(["glob": "dir/sub/*", "directory": "dir/sub"], in: root)
        #expect(paths(narrowed) == ["dir/sub/d.txt"])
        for (directory, kind) in [("missing", ToolFailure.Kind.notFound), ("a.txt", .invalidArgument), ("../x", .denied), ("out", .denied)] {
            do {
                _ = try await search(["directory": .string(directory)], in: root)
                Issue.record("\(directory) was searched")
            } catch {
                #expect(error.kind == kind, "\(directory): \(error)")
                #expect(error.message.hasPrefix("directory: "), "\(directory): \(error.message)")
            }
        }
    }

    @Test("content search reports line numbers and text without the line terminator, ignoreCase folds case")
    func contentSearch() async throws {
        let root = try makeTree()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = try await search(["pattern": "^todo", "ignoreCase": true], in: root)
        #expect(output["matches"] == [
            ["path": "a.txt", "line": 2, "text": "TODO one"],
            ["path": "dir/c.txt", "line": 2, "text": "todo two"],
            ["path": "dir/sub/d.txt", "line": 2, "text": "TODO three"],
        ])
        #expect(output["filesSearched"] == 6)
        let sensitive = try await search(["pattern": "todo"], in: root)
        #expect(paths(sensitive) == ["dir/c.txt"])
        let anchored = try await search(["pattern": "^gamma$"], in: root)
        #expect(anchored["matches"] == [["path": "dir/c.txt", "line": 1, "text": "gamma"]])
    }

    @Test("binary files and files over maxFileBytes are skipped and not counted; long lines are cut to 1000 code points")
    func skippedFilesAndLongLines() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("toolhost-search-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try Data("needle\0binary".utf8).write(to: root.appendingPathComponent("bin.dat"))
        try Data(("needle " + String(repeating: "x", count: 200)).utf8).write(to: root.appendingPathComponent("big.txt"))
        try (String(repeating: "é", count: 1500) + " needle").write(to: root.appendingPathComponent("long.txt"), atomically: true, encoding: .utf8)
        let output = try await search(["pattern": "needle", "maxFileBytes": 5000, "glob": "{bin.dat,long.txt}"], in: root)
        #expect(output["filesSearched"] == 1)
        #expect(output["matches"]?[0]?["text"]?.stringValue?.unicodeScalars.count == 1000)
        let small = try await search(["pattern": "needle", "maxFileBytes": 100], in: root)
        #expect(paths(small).isEmpty)
        #expect(small["filesSearched"] == 0)
    }

    @Test("maxResults truncates and says so")
    func truncation() async throws {
        let root = try makeTree()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = try await search(["pattern": "a", "maxResults": 2], in: root)
        #expect(output["matchCount"] == 2)
        #expect(output["truncated"] == true)
        let globs = try await search(["glob": "**", "maxResults": 6], in: root)
        #expect(globs["truncated"] == false)
        #expect(try await search(["glob": "**", "maxResults": 5], in: root)["truncated"] == true)
    }

    @Test("a bad glob or pattern is an invalid argument naming its field")
    func badInput() async throws {
        let root = try makeTree()
        defer { try? FileManager.default.removeItem(at: root) }
        for (input, field) in [(["glob": "[abc"] as JSONValue, "glob"), (["glob": "{a,b"], "glob"), (["glob": "/etc/*"], "glob"),
                               (["pattern": "(unclosed"], "pattern")] {
            do {
                _ = try await search(input, in: root)
                Issue.record("\(input) was accepted")
            } catch {
                #expect(error.kind == .invalidArgument, "\(input)")
                #expect(error.message.hasPrefix("\(field): "), "\(error.message)")
            }
        }
    }

    @Test("a catastrophic pattern stops at the call's time limit with a timeout")
    func timeout() async throws {
        let root = try makeTree()
        defer { try? FileManager.default.removeItem(at: root) }
        try (String(repeating: "a", count: 40) + "b\n").write(to: root.appendingPathComponent("slow.txt"), atomically: true, encoding: .utf8)
        let started = ContinuousClock.now
        do {
            _ = try await search(["pattern": "(a+)+$"], in: root, timeoutMs: 500)
            Issue.record("no timeout")
        } catch {
            #expect(error.kind == .timeout)
            #expect(error.message.contains("500 ms"))
        }
        #expect(ContinuousClock.now - started < .milliseconds(1000))
    }
}
