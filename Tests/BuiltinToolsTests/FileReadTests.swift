import BuiltinTools
import Foundation
import Testing
import ToolhostCore

@Suite("file_read")
struct FileReadTests {
    @Test("every manifest example holds")
    func examples() async throws {
        let failures = try await ExampleHarness().failures(of: "file_read")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    @Test("paging with offset + bytesRead never splits a character and reassembles the file")
    func pagingReassembles() async throws {
        let scratch = try ScratchWorkspace()
        defer { scratch.remove() }
        let text = "añb€c😀d" + String(repeating: "é", count: 5)
        try scratch.put("t.txt", text)
        var offset = 0
        var pieces: [String] = []
        while true {
            let output = try await scratch.run("file_read", ["path": "t.txt", "offset": .int(offset), "length": 4])
            pieces.append(output["content"]?.stringValue ?? "")
            offset += output["bytesRead"]?.intValue ?? 0
            if output["truncated"] == false { break }
        }
        #expect(pieces.joined() == text)
        #expect(pieces.count > 4)
    }

    @Test("invalid UTF-8, a range starting inside a character and a too-short range are errors naming the field")
    func invalidUTF8() async throws {
        let scratch = try ScratchWorkspace()
        defer { scratch.remove() }
        try scratch.put("bin", Data([0x41, 0xFF, 0x42]))
        try scratch.put("euro", "€uro")
        await scratch.expectFailure("file_read", ["path": "bin"], kind: .invalidArgument, field: "path")
        await scratch.expectFailure("file_read", ["path": "euro", "offset": 1], kind: .invalidArgument, field: "path")
        await scratch.expectFailure("file_read", ["path": "euro", "length": 2], kind: .invalidArgument, field: "length")
        // The cut at the very end of the file is not a cut but a broken file.
        try scratch.put("cut", Data([0x61, 0xE2, 0x82]))
        await scratch.expectFailure("file_read", ["path": "cut"], kind: .invalidArgument, field: "path")
        let binary = try await scratch.run("file_read", ["path": "bin", "encoding": "base64", "offset": 1, "length": 1])
        #expect(binary["content"] == "/w==")
        #expect(binary["truncated"] == true)
    }

    @Test("an offset at the end reads nothing; past the end is an error naming offset")
    func offsets() async throws {
        let scratch = try ScratchWorkspace()
        defer { scratch.remove() }
        try scratch.put("a.txt", "abc")
        let atEnd = try await scratch.run("file_read", ["path": "a.txt", "offset": 3])
        #expect(atEnd == ["path": "a.txt", "encoding": "utf8", "content": "", "size": 3, "offset": 3, "bytesRead": 0, "truncated": false])
        await scratch.expectFailure("file_read", ["path": "a.txt", "offset": 4], kind: .invalidArgument, field: "offset")
        let empty = try await scratch.run("file_read", ["path": "./a.txt", "length": 1])
        #expect(empty["path"] == "a.txt")
        #expect(empty["content"] == "a")
    }

    @Test("directories, FIFOs and missing files are refused without hanging")
    func notRegularFiles() async throws {
        let scratch = try ScratchWorkspace()
        defer { scratch.remove() }
        try FileManager.default.createDirectory(at: scratch.url("dir"), withIntermediateDirectories: true)
        #expect(mkfifo(scratch.url("fifo").path, 0o644) == 0)
        await scratch.expectFailure("file_read", ["path": "dir"], kind: .invalidArgument, field: "path")
        await scratch.expectFailure("file_read", ["path": "fifo"], kind: .invalidArgument, field: "path")
        await scratch.expectFailure("file_read", ["path": "missing.txt"], kind: .notFound, field: "path")
    }

    @Test("`..`, absolute paths and links out of the workspace are denied, naming path")
    func confinement() async throws {
        let scratch = try ScratchWorkspace()
        defer { scratch.remove() }
        await scratch.expectConfined("file_read", field: "path") { ["path": .string($0)] }
    }
}
