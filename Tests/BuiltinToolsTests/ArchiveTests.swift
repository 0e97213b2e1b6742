import BuiltinTools
import Foundation
import Testing
import TestSupport
import ToolhostCore

@Suite("archive")
struct ArchiveTests {
    @Test("every manifest example holds")
    func examples() async throws {
        let failures = try await ExampleHarness().failures(of: "archive")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    @Test("create then extract round-trips files and links, for zip and tar.gz, at every compression level")
    func roundTrip() async throws {
        for (name, level) in [("out.zip", 0), ("out.zip", 9), ("out.tar.gz", 1), ("out.tgz", 6)] {
            let scratch = try ScratchWorkspace()
            defer { scratch.remove() }
            try scratch.put("src/a.txt", "alpha")
            try scratch.put("src/sub/b.bin", Data([0, 1, 2, 255]))
            try scratch.put("src/ü.txt", "umlaut")
            try FileManager.default.createSymbolicLink(atPath: scratch.url("src/link").path, withDestinationPath: "sub/b.bin")
            let created = try await scratch.run(
                "archive", ["operation": "create", "archive": .string(name), "paths": ["src"], "compressionLevel": .int(level)])
            let expected: JSONValue = [
                ["path": "src/a.txt", "type": "file", "size": 5], ["path": "src/link", "type": "symlink", "size": 0],
                ["path": "src/sub/b.bin", "type": "file", "size": 4], ["path": "src/ü.txt", "type": "file", "size": 6],
            ]
            #expect(created["entries"] == expected, "\(name)")
            #expect(created["archiveBytes"]?.intValue == (try scratch.contents(name)).count)
            let extracted = try await scratch.run("archive", ["operation": "extract", "archive": .string(name), "destination": "copy"])
            #expect(extracted["entries"] == expected, "\(name)")
            #expect(try scratch.contents("copy/src/sub/b.bin") == Data([0, 1, 2, 255]))
            #expect(try scratch.contents("copy/src/ü.txt") == Data("umlaut".utf8))
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: scratch.url("copy/src/link").path) == "sub/b.bin")
            let listed = try await scratch.run("archive", ["operation": "list", "archive": .string(name)])
            #expect(listed["entries"] == expected)
            #expect(listed["format"] == (name.hasSuffix(".zip") ? "zip" : "tar.gz"))
        }
    }

    @Test("create never replaces an archive, and a missing path is not_found")
    func createRefusals() async throws {
        let scratch = try ScratchWorkspace()
        defer { scratch.remove() }
        try scratch.put("a.txt", "a")
        try scratch.put("old.zip", "keep me")
        await scratch.expectFailure(
            "archive", ["operation": "create", "archive": "old.zip", "paths": ["a.txt"]],
            kind: .invalidArgument, field: "archive")
        #expect(try scratch.contents("old.zip") == Data("keep me".utf8))
        await scratch.expectFailure("archive", ["operation": "create", "archive": "n.zip", "paths": ["nope"]], kind: .notFound, field: "paths[0]")
        #expect(!FileManager.default.fileExists(atPath: scratch.url("n.zip").path))
        await scratch.expectFailure(
            "archive", ["operation": "create", "archive": "n.rar", "paths": ["a.txt"]],
            kind: .invalidArgument, field: "format")
        // paths naming a link out of the workspace is refused; the archive is not left behind.
        await scratch.expectFailure(
            "archive", ["operation": "create", "archive": "n.zip", "paths": ["a.txt", "out"]],
            kind: .denied, field: "paths[1]")
        #expect(!FileManager.default.fileExists(atPath: scratch.url("n.zip").path))
    }

    /// Extracts a hostile archive built with libarchive and expects `kind`, with nothing written.
    func expectRefused(_ build: (ArchiveBuilder) throws -> Void, format: ArchiveBuilder.Format = .tarGzip, kind: ToolFailure.Kind,
                       sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let scratch = try ScratchWorkspace()
        defer { scratch.remove() }
        let builder = try ArchiveBuilder(format)
        try builder.file("fine.txt", "fine")
        try build(builder)
        let name = format == .zip ? "evil.zip" : "evil.tar.gz"
        try scratch.put(name, try builder.finish())
        await scratch.expectFailure(
            "archive", ["operation": "extract", "archive": .string(name), "destination": "x"], kind: kind, field: "archive",
            sourceLocation: sourceLocation)
        #expect(!FileManager.default.fileExists(atPath: scratch.url("x/fine.txt").path), sourceLocation: sourceLocation)
        #expect(!FileManager.default.fileExists(atPath: scratch.root.deletingLastPathComponent().appendingPathComponent("evil.txt").path))
    }

    @Test("extraction refuses traversal, absolute paths, links out, devices, setuid bits and hard links before writing")
    func hostileEntries() async throws {
        try await expectRefused({ try $0.file("../evil.txt", "x") }, kind: .denied)
        try await expectRefused({ try $0.file("a/../../evil.txt", "x") }, kind: .denied)
        try await expectRefused({ try $0.file("/tmp/evil.txt", "x") }, kind: .denied)
        try await expectRefused({ try $0.file("../evil.txt", "x") }, format: .zip, kind: .denied)
        try await expectRefused({ try $0.symlink("link", to: "/etc/passwd") }, kind: .denied)
        try await expectRefused({ try $0.symlink("link", to: "../../etc") }, kind: .denied)
        try await expectRefused({ try $0.symlink("self", to: ".").symlink("up", to: "self/..") }, kind: .denied)
        try await expectRefused({ try $0.symlink("dir", to: "sub").file("dir/evil.txt", "x") }, kind: .denied)
        try await expectRefused({ try $0.node("dev", type: .characterDevice) }, kind: .denied)
        try await expectRefused({ try $0.node("pipe", type: .fifo) }, kind: .denied)
        try await expectRefused({ try $0.file("suid", "x", mode: 0o4755) }, kind: .denied)
        try await expectRefused({ try $0.hardlink("hard", to: "fine.txt") }, kind: .invalidArgument)
        try await expectRefused({ try $0.file("fine.txt", "again") }, kind: .invalidArgument)
    }

    @Test("an existing target is an error and nothing is overwritten or left half-written")
    func neverOverwrites() async throws {
        let scratch = try ScratchWorkspace()
        defer { scratch.remove() }
        let builder = try ArchiveBuilder(.zip)
        try builder.file("new.txt", "new").file("dir/kept.txt", "from archive")
        try scratch.put("a.zip", try builder.finish())
        try scratch.put("dest/dir/kept.txt", "original")
        await scratch.expectFailure(
            "archive", ["operation": "extract", "archive": "a.zip", "destination": "dest"],
            kind: .invalidArgument, field: "destination")
        #expect(try scratch.contents("dest/dir/kept.txt") == Data("original".utf8))
        #expect(!FileManager.default.fileExists(atPath: scratch.url("dest/new.txt").path))
        // Into an existing directory without clashes is fine.
        let output = try await scratch.run("archive", ["operation": "extract", "archive": "a.zip", "destination": "dest/other"])
        #expect(output["destination"] == "dest/other")
        #expect(try scratch.contents("dest/other/dir/kept.txt") == Data("from archive".utf8))
    }

    @Test("a decompression bomb is stopped by the expansion cap and its partial output removed")
    func bomb() async throws {
        let scratch = try ScratchWorkspace()
        defer { scratch.remove() }
        let builder = try ArchiveBuilder(.tarGzip)
        try builder.zeros("zeros.bin", count: 64 << 20)
        let bomb = try builder.finish()
        #expect(bomb.count < 200_000)
        try scratch.put("bomb.tar.gz", bomb)
        await scratch.expectFailure(
            "archive", ["operation": "extract", "archive": "bomb.tar.gz", "destination": "x"],
            kind: .tooLarge, field: "archive")
        #expect(!FileManager.default.fileExists(atPath: scratch.url("x").path))
        // Listing reads headers only, and says how big the entry claims to be.
        let listed = try await scratch.run("archive", ["operation": "list", "archive": "bomb.tar.gz"])
        #expect(listed["entries"] == [["path": "zeros.bin", "type": "file", "size": .int(64 << 20)]])
    }

    @Test("content decides the format; a wrong format or a non-archive is invalid_argument")
    func formats() async throws {
        let scratch = try ScratchWorkspace()
        defer { scratch.remove() }
        let builder = try ArchiveBuilder(.zip)
        try builder.file("a.txt", "a")
        try scratch.put("actually-zip.tar.gz", try builder.finish())
        let listed = try await scratch.run("archive", ["operation": "list", "archive": "actually-zip.tar.gz"])
        #expect(listed["format"] == "zip")
        await scratch.expectFailure(
            "archive", ["operation": "list", "archive": "actually-zip.tar.gz", "format": "tar.gz"],
            kind: .invalidArgument, field: "format")
        try scratch.put("plain.txt", "hello")
        await scratch.expectFailure("archive", ["operation": "list", "archive": "plain.txt"], kind: .invalidArgument, field: "archive")
        await scratch.expectFailure("archive", ["operation": "list", "archive": "missing.zip"], kind: .notFound, field: "archive")
    }

    @Test("`..`, absolute paths and links out of the workspace are denied for archive, paths and destination")
    func confinement() async throws {
        let scratch = try ScratchWorkspace()
        defer { scratch.remove() }
        try scratch.put("a.txt", "a")
        await scratch.expectConfined("archive", field: "archive") { ["operation": "list", "archive": .string($0)] }
        await scratch.expectConfined("archive", field: "archive") { ["operation": "create", "archive": .string($0), "paths": ["a.txt"]] }
        await scratch.expectConfined("archive", field: "paths[0]") { ["operation": "create", "archive": "n.zip", "paths": [.string($0)]] }
        _ = try await scratch.run("archive", ["operation": "create", "archive": "ok.zip", "paths": ["a.txt"]])
        await scratch.expectConfined("archive", field: "destination") {
            ["operation": "extract", "archive": "ok.zip", "destination": .string($0)]
        }
    }
}
