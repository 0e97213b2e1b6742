import BuiltinTools
import Foundation
import Testing
import ToolhostCore

@Suite("file_write")
struct FileWriteTests {
    @Test("every manifest example holds")
    func examples() async throws {
        let failures = try await ExampleHarness().failures(of: "file_write")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    @Test("create refuses an existing file; overwrite and append report created and size")
    func modes() async throws {
        let scratch = try ScratchWorkspace()
        defer { scratch.remove() }
        let first = try await scratch.run("file_write", ["path": "a/b/c.txt", "content": "one"])
        #expect(first == ["path": "a/b/c.txt", "bytesWritten": 3, "size": 3, "created": true])
        await scratch.expectFailure("file_write", ["path": "a/b/c.txt", "content": "x"], kind: .invalidArgument, field: "path")
        let appended = try await scratch.run("file_write", ["path": "a/b/c.txt", "content": "+two", "mode": "append"])
        #expect(appended == ["path": "a/b/c.txt", "bytesWritten": 4, "size": 7, "created": false])
        let replaced = try await scratch.run("file_write", ["path": "./a/b/c.txt", "content": "z", "mode": "overwrite"])
        #expect(replaced == ["path": "a/b/c.txt", "bytesWritten": 1, "size": 1, "created": false])
        let fresh = try await scratch.run("file_write", ["path": "new.txt", "content": "n", "mode": "append"])
        #expect(fresh["created"] == true)
        #expect(try scratch.contents("a/b/c.txt") == Data("z".utf8))
        // No temporary files are left next to the target.
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url("a/b").path) == ["c.txt"])
    }

    @Test("without createDirectories a missing parent is not_found; bad base64 is invalid_argument naming content")
    func badInput() async throws {
        let scratch = try ScratchWorkspace()
        defer { scratch.remove() }
        await scratch.expectFailure(
            "file_write", ["path": "no/such/dir.txt", "content": "x", "createDirectories": false], kind: .notFound, field: "path")
        await scratch.expectFailure(
            "file_write", ["path": "b.bin", "content": "not base64!", "encoding": "base64"],
            kind: .invalidArgument, field: "content")
        try FileManager.default.createDirectory(at: scratch.url("dir"), withIntermediateDirectories: true)
        await scratch.expectFailure("file_write", ["path": "dir", "content": "x", "mode": "overwrite"], kind: .invalidArgument, field: "path")
        let empty = try await scratch.run("file_write", ["path": "empty", "content": ""])
        #expect(empty == ["path": "empty", "bytesWritten": 0, "size": 0, "created": true])
    }

    @Test("writing through any symbolic link is refused, even one that stays inside")
    func links() async throws {
        let scratch = try ScratchWorkspace()
        defer { scratch.remove() }
        try scratch.put("real.txt", "keep")
        try FileManager.default.createSymbolicLink(atPath: scratch.url("alias").path, withDestinationPath: "real.txt")
        for mode in ["create", "overwrite", "append"] {
            await scratch.expectFailure("file_write", ["path": "alias", "content": "x", "mode": .string(mode)], kind: .denied, field: "path")
        }
        #expect(try scratch.contents("real.txt") == Data("keep".utf8))
        let passwd = try Data(contentsOf: URL(fileURLWithPath: "/etc/passwd"))
        await scratch.expectConfined("file_write", field: "path") { ["path": .string($0), "content": "x", "mode": "overwrite"] }
        await scratch.expectConfined("file_write", field: "path") { ["path": .string($0), "content": "x", "mode": "append"] }
        #expect(try Data(contentsOf: URL(fileURLWithPath: "/etc/passwd")) == passwd)
    }
}
