import TestSupport
import CArchive
import Foundation
import Glibc
import Registry
import Testing

@Suite("Packing package directories")
struct PackageArchiveWriterTests {
    static let tree = [
        "toolhost.json": ArchiveBuilder.manifestText(),
        "main.py": "print('hi')\n",
        "src/words.py": "def count(text):\n    return len(text.split())\n",
        "src/nested/deeper/data.txt": "x\n",
        "README.md": "# Word count\n",
    ]

    @Test("packing the same directory twice gives the same bytes")
    func packingIsRepeatable() throws {
        try PublishingFixture.withTemporaryDirectory { directory in
            try PublishingFixture.write(Self.tree, under: directory, executables: ["main.py"])
            let first = try PackageArchiveWriter().pack(directory: directory)
            Thread.sleep(forTimeInterval: 1.1)  // a timestamp anywhere would now differ
            let second = try PackageArchiveWriter().pack(directory: directory)
            #expect(first == second)
            #expect(PackageDigest(of: first) == PackageDigest(of: second))
        }
    }

    @Test("two copies of a tree made differently (order, times, owners' modes) pack to the same bytes")
    func packingIgnoresHowTheTreeWasMade() throws {
        try PublishingFixture.withTemporaryDirectory { directory in
            let one = directory.appendingPathComponent("one")
            let two = directory.appendingPathComponent("two")
            try PublishingFixture.write(Self.tree, under: one, executables: ["main.py"])
            for (path, contents) in Self.tree.sorted(by: { $0.key > $1.key }) {
                try PublishingFixture.write([path: contents], under: two, executables: path == "main.py" ? [path] : [])
            }
            let manager = FileManager.default
            try manager.setAttributes(
                [.posixPermissions: 0o600, .modificationDate: Date(timeIntervalSince1970: 12345)],
                ofItemAtPath: two.appendingPathComponent("README.md").path)
            try manager.setAttributes([.posixPermissions: 0o700], ofItemAtPath: two.appendingPathComponent("main.py").path)
            try manager.setAttributes([.posixPermissions: 0o700], ofItemAtPath: two.appendingPathComponent("src").path)
            #expect(try PackageArchiveWriter().pack(directory: one) == PackageArchiveWriter().pack(directory: two))
        }
    }

    @Test("packing and then reading gives back the same files and execute bits")
    func roundTrip() throws {
        try PublishingFixture.withTemporaryDirectory { directory in
            try PublishingFixture.write(Self.tree, under: directory, executables: ["main.py"])
            let package = try PackageArchiveReader().read(try PackageArchiveWriter().pack(directory: directory))
            #expect(package.files.mapValues { String(decoding: $0, as: UTF8.self) } == Self.tree)
            #expect(package.executablePaths == ["main.py"])
        }
    }

    @Test("changing one byte of one file changes the sha256")
    func oneByteChangesTheDigest() throws {
        try PublishingFixture.withTemporaryDirectory { directory in
            try PublishingFixture.write(Self.tree, under: directory)
            let before = PackageDigest(of: try PackageArchiveWriter().pack(directory: directory))
            try PublishingFixture.write(["src/nested/deeper/data.txt": "y\n"], under: directory)
            let after = PackageDigest(of: try PackageArchiveWriter().pack(directory: directory))
            #expect(before != after)
        }
    }

    @Test("the archive has sorted entries, mtime 0, owner 0 without names, normalised modes and a gzip header without a time")
    func headersAreNormalised() throws {
        try PublishingFixture.withTemporaryDirectory { directory in
            try PublishingFixture.write(Self.tree, under: directory, executables: ["main.py"])
            let archive = try PackageArchiveWriter().pack(directory: directory)
            // gzip header: magic, deflate, flags 0 (no file name, no comment), then a zero MTIME.
            #expect(Array(archive.prefix(8)) == [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00])
            let entries = try ArchiveListing.entries(of: archive)
            #expect(entries.map(\.path) == Self.tree.keys.sorted())
            for entry in entries {
                #expect(
                    entry.mtime == 0 && entry.uid == 0 && entry.gid == 0 && (entry.uname ?? "").isEmpty && (entry.gname ?? "").isEmpty, "\(entry)")
                #expect(entry.mode == (entry.path == "main.py" ? 0o100755 : 0o100644), "\(entry)")
            }
        }
    }

    @Test("GNU tar extracts a packed archive to the same tree")
    func gnuTarReadsIt() throws {
        try PublishingFixture.withTemporaryDirectory { directory in
            let source = directory.appendingPathComponent("source")
            let target = directory.appendingPathComponent("target")
            try PublishingFixture.write(Self.tree, under: source, executables: ["main.py"])
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            try PackageArchiveWriter().pack(directory: source).write(to: directory.appendingPathComponent("p.tar.gz"))
            try PublishingFixture.run(["tar", "-xzf", "../p.tar.gz"], in: target)
            for (path, contents) in Self.tree {
                #expect(try String(contentsOf: target.appendingPathComponent(path), encoding: .utf8) == contents)
            }
        }
    }

    @Test("non-ASCII file names survive packing and reading, whatever the process locale")
    func unicodeNames() throws {
        try PublishingFixture.withTemporaryDirectory { directory in
            try PublishingFixture.write(Self.tree.merging(["docs/café.md": "# Café\n", "données/ü.txt": "ü\n"]) { $1 }, under: directory)
            let archive = try PackageArchiveWriter().pack(directory: directory)
            let package = try PackageArchiveReader().read(archive)
            #expect(package.files["docs/café.md"] == Data("# Café\n".utf8))
            #expect(package.files["données/ü.txt"] == Data("ü\n".utf8))
            #expect(try PackageArchiveWriter().pack(directory: directory) == archive)
        }
    }

    @Test("`.git` is left out at any depth")
    func gitIsSkipped() throws {
        try PublishingFixture.withTemporaryDirectory { directory in
            try PublishingFixture.write(Self.tree, under: directory)
            try PublishingFixture.write([".git/config": "[core]\n", "vendor/lib/.git": "gitdir: ../x\n", ".gitignore": "*.pyc\n"], under: directory)
            let package = try PackageArchiveReader().read(try PackageArchiveWriter().pack(directory: directory))
            #expect(package.files[".git/config"] == nil)
            #expect(package.files["vendor/lib/.git"] == nil)
            #expect(package.files[".gitignore"] != nil)
        }
    }

    @Test("a symlink to a file inside is packed as a copy of that file")
    func insideLinkIsCopied() throws {
        try PublishingFixture.withTemporaryDirectory { directory in
            try PublishingFixture.write(Self.tree, under: directory)
            try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent("docs.md").path, withDestinationPath: "README.md")
            let package = try PackageArchiveReader().read(try PackageArchiveWriter().pack(directory: directory))
            #expect(package.files["docs.md"] == Data(Self.tree["README.md"]!.utf8))
        }
    }

    @Test("a symlink that leaves the directory is refused with link_outside")
    func outsideLinkIsRefused() throws {
        try PublishingFixture.withTemporaryDirectory { directory in
            let root = directory.appendingPathComponent("package")
            try PublishingFixture.write(Self.tree, under: root)
            try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("src/passwd").path, withDestinationPath: "/etc/passwd")
            let error = PublishingFixture.refusal { _ = try PackageArchiveWriter().pack(directory: root) }
            #expect(error?.code == .linkOutside)
            #expect(error?.entry == "src/passwd")
            try FileManager.default.removeItem(at: root.appendingPathComponent("src/passwd"))
            try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("sibling").path, withDestinationPath: "../other/file")
            try PublishingFixture.write(["other/file": "x"], under: directory)
            #expect(PublishingFixture.refusal { _ = try PackageArchiveWriter().pack(directory: root) }?.code == .linkOutside)
        }
    }

    @Test("a dangling symlink or one to a directory is refused with symlink")
    func otherLinksAreRefused() throws {
        try PublishingFixture.withTemporaryDirectory { directory in
            try PublishingFixture.write(Self.tree, under: directory)
            try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent("lib").path, withDestinationPath: "src")
            #expect(PublishingFixture.refusal { _ = try PackageArchiveWriter().pack(directory: directory) }?.code == .symlink)
            try FileManager.default.removeItem(at: directory.appendingPathComponent("lib"))
            try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent("gone").path, withDestinationPath: "nothing-here")
            #expect(PublishingFixture.refusal { _ = try PackageArchiveWriter().pack(directory: directory) }?.code == .symlink)
        }
    }

    @Test("a FIFO is refused with special_file and a setuid file with setuid")
    func specialFilesAreRefused() throws {
        try PublishingFixture.withTemporaryDirectory { directory in
            try PublishingFixture.write(Self.tree, under: directory)
            let fifo = directory.appendingPathComponent("pipe").path
            #expect(mkfifo(fifo, 0o644) == 0)
            let error = PublishingFixture.refusal { _ = try PackageArchiveWriter().pack(directory: directory) }
            #expect(error?.code == .specialFile)
            #expect(error?.message.contains("FIFO") == true)
            try FileManager.default.removeItem(atPath: fifo)
            try FileManager.default.setAttributes([.posixPermissions: 0o4755], ofItemAtPath: directory.appendingPathComponent("main.py").path)
            #expect(PublishingFixture.refusal { _ = try PackageArchiveWriter().pack(directory: directory) }?.code == .setuid)
        }
    }

    @Test("a directory over the reader's caps is refused while packing, with the reader's code")
    func capsApplyWhilePacking() throws {
        try PublishingFixture.withTemporaryDirectory { directory in
            try PublishingFixture.write(Self.tree, under: directory)
            var limits = PackageArchiveLimits()
            limits.maxEntries = 4
            #expect(PublishingFixture.refusal { _ = try PackageArchiveWriter(limits: limits).pack(directory: directory) }?.code == .tooManyEntries)
            limits = PackageArchiveLimits()
            limits.maxFileBytes = 20
            #expect(PublishingFixture.refusal { _ = try PackageArchiveWriter(limits: limits).pack(directory: directory) }?.code == .fileTooLarge)
        }
    }

    @Test("a missing directory is an io_error naming it")
    func missingDirectory() throws {
        let error = PublishingFixture.refusal {
            _ = try PackageArchiveWriter().pack(directory: URL(fileURLWithPath: "/nonexistent/toolhost-package"))
        }
        #expect(error?.code == .io)
        #expect(error?.message.contains("/nonexistent/toolhost-package") == true)
    }
}

/// The headers of a tar.gz, read with libarchive, to check what the writer put in them.
enum ArchiveListing {
    struct Entry: CustomStringConvertible {
        var path: String
        var mode: UInt32
        var mtime: Int
        var uid: Int64
        var gid: Int64
        var uname: String?
        var gname: String?
        var description: String {
            "\(path) mode \(String(mode, radix: 8)) mtime \(mtime) uid \(uid) gid \(gid) uname \(uname ?? "-") gname \(gname ?? "-")"
        }
    }

    static func entries(of archive: Data) throws -> [Entry] {
        let handle = archive_read_new()!
        defer { archive_read_free(handle) }
        archive_read_support_filter_gzip(handle)
        archive_read_support_format_tar(handle)
        return try archive.withUnsafeBytes { buffer in
            try #require(archive_read_open_memory(handle, buffer.baseAddress, buffer.count) == ARCHIVE_OK)
            var entries: [Entry] = []
            var entry: OpaquePointer?
            while archive_read_next_header(handle, &entry) == ARCHIVE_OK, let entry {
                entries.append(
                    Entry(
                        path: (archive_entry_pathname_utf8(entry) ?? archive_entry_pathname(entry)).map { String(cString: $0) } ?? "",
                        mode: UInt32(archive_entry_mode(entry)),
                        mtime: archive_entry_mtime(entry), uid: archive_entry_uid(entry), gid: archive_entry_gid(entry),
                        uname: archive_entry_uname(entry).map { String(cString: $0) }, gname: archive_entry_gname(entry).map { String(cString: $0) }))
            }
            return entries
        }
    }
}
