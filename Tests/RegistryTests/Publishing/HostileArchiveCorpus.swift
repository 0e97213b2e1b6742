import TestSupport
import Foundation
import Registry
import Testing

/// One archive a hostile (or careless) publisher could upload, and the code it must be refused with.
struct HostileArchive: Sendable, CustomTestStringConvertible {
    let name: String
    let expected: PublishError.Code
    /// The entry the refusal must name, when there is one.
    let entry: String?
    let build: @Sendable () throws -> Data

    var testDescription: String { name }

    /// The corpus: every archive is a good package plus one hostile detail, built with libarchive in memory.
    static let corpus: [HostileArchive] = [
        .init(name: "a `../evil` entry", expected: .pathTraversal, entry: "../evil") {
            try ArchiveBuilder.package { try $0.file("../evil", "owned") }
        },
        .init(name: "a `..` in the middle of a path", expected: .pathTraversal, entry: "src/../../evil") {
            try ArchiveBuilder.package { try $0.file("src/../../evil", "owned") }
        },
        .init(name: "an absolute `/etc/passwd` entry", expected: .absolutePath, entry: "/etc/passwd") {
            try ArchiveBuilder.package { try $0.file("/etc/passwd", "root::0:0::/:/bin/sh") }
        },
        .init(name: "a backslash path", expected: .invalidPath, entry: "..\\evil") {
            try ArchiveBuilder.package { try $0.file("..\\evil", "owned") }
        },
        .init(name: "a symlink to `/etc/shadow`", expected: .linkOutside, entry: "shadow") {
            try ArchiveBuilder.package { try $0.symlink("shadow", to: "/etc/shadow") }
        },
        .init(name: "a symlink to `../../x`", expected: .linkOutside, entry: "src/x") {
            try ArchiveBuilder.package { try $0.symlink("src/x", to: "../../x") }
        },
        .init(name: "a symlink that stays inside", expected: .symlink, entry: "docs/main.py") {
            try ArchiveBuilder.package { try $0.symlink("docs/main.py", to: "../main.py") }
        },
        .init(name: "a hard link", expected: .hardlink, entry: "copy.json") {
            try ArchiveBuilder.package { try $0.hardlink("copy.json", to: "toolhost.json") }
        },
        .init(name: "a character device", expected: .specialFile, entry: "dev/null") {
            try ArchiveBuilder.package { try $0.node("dev/null", type: .characterDevice) }
        },
        .init(name: "a block device", expected: .specialFile, entry: "sda") {
            try ArchiveBuilder.package { try $0.node("sda", type: .blockDevice) }
        },
        .init(name: "a FIFO", expected: .specialFile, entry: "pipe") {
            try ArchiveBuilder.package { try $0.node("pipe", type: .fifo) }
        },
        .init(name: "a setuid executable", expected: .setuid, entry: "run") {
            try ArchiveBuilder.package { try $0.file("run", "#!/bin/sh\n", mode: 0o4755) }
        },
        .init(name: "a setgid directory", expected: .setuid, entry: "shared") {
            try ArchiveBuilder.package { try $0.directory("shared", mode: 0o2755) }
        },
        .init(name: "3,000 entries", expected: .tooManyEntries, entry: nil) {
            try ArchiveBuilder.package { builder in
                for index in 0..<3000 { try builder.file(String(format: "data/%04d.txt", index), "x") }
            }
        },
        .init(name: "a 1 MB manifest", expected: .manifestTooLarge, entry: "toolhost.json") {
            let builder = try ArchiveBuilder(.tarGzip)
            try builder.file("toolhost.json", Data(repeating: 0x20, count: 1_000_000))
            return try builder.finish()
        },
        .init(name: "no manifest", expected: .missingManifest, entry: nil) {
            let builder = try ArchiveBuilder(.tarGzip)
            try builder.file("main.py", "print('hi')\n")
            return try builder.finish()
        },
        .init(name: "a package wrapped in a folder", expected: .missingManifest, entry: nil) {
            let builder = try ArchiveBuilder(.tarGzip)
            try builder.directory("word-count")
            try builder.file("word-count/toolhost.json", ArchiveBuilder.manifestText())
            return try builder.finish()
        },
        .init(name: "the manifest twice", expected: .duplicateEntry, entry: "toolhost.json") {
            try ArchiveBuilder.package { try $0.file("toolhost.json", "{}") }
        },
        .init(name: "the same file spelled `./main.py`", expected: .duplicateEntry, entry: "main.py") {
            try ArchiveBuilder.package { try $0.file("./main.py", "print('other')\n") }
        },
        .init(name: "a file that is also a directory", expected: .pathConflict, entry: "main.py/inner") {
            try ArchiveBuilder.package { try $0.file("main.py/inner", "x") }
        },
        .init(name: "a 300-byte path", expected: .pathTooLong, entry: String(repeating: "a", count: 300)) {
            try ArchiveBuilder.package { try $0.file(String(repeating: "a", count: 300), "x") }
        },
        .init(name: "a path 20 levels deep", expected: .pathTooDeep, entry: nil) {
            try ArchiveBuilder.package { try $0.file(Array(repeating: "d", count: 19).joined(separator: "/") + "/f", "x") }
        },
        .init(name: "a zip with `../evil`", expected: .pathTraversal, entry: "../evil.sh") {
            try ArchiveBuilder.package(.zip) { try $0.file("../evil.sh", "rm -rf ~") }
        },
        .init(name: "a zip with an absolute path", expected: .absolutePath, entry: "/tmp/evil") {
            try ArchiveBuilder.package(.zip) { try $0.file("/tmp/evil", "x") }
        },
        .init(name: "a zip with a symlink to `/etc/shadow`", expected: .linkOutside, entry: "shadow") {
            try ArchiveBuilder.package(.zip) { try $0.symlink("shadow", to: "/etc/shadow") }
        },
        .init(name: "an uncompressed tar", expected: .invalidArchive, entry: nil) {
            try ArchiveBuilder.package(.plainTar)
        },
        .init(name: "gzip of something that is not a tar", expected: .invalidArchive, entry: nil) {
            // `{"name": "not a tar"}` compressed with gzip.
            Data([
                0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xAB, 0x56, 0xCA, 0x4B, 0xCC, 0x4D, 0x55, 0xB2, 0x52, 0x50,
                0xCA, 0xCB, 0x2F, 0x51, 0x48, 0x54, 0x28, 0x49, 0x2C, 0x52, 0xAA, 0xE5, 0x02, 0x00, 0xDE, 0x1A, 0x4A, 0x94, 0x16, 0x00,
                0x00, 0x00,
            ])
        },
        .init(name: "a truncated tar.gz", expected: .invalidArchive, entry: nil) {
            let whole = try ArchiveBuilder.package { try $0.file("data.bin", PublishingFixture.randomData(64 << 10)) }
            return whole.prefix(whole.count / 2)
        },
        .init(name: "random bytes", expected: .invalidArchive, entry: nil) {
            PublishingFixture.randomData(4096)
        },
    ]
}

@Suite("Hostile archives")
struct HostileArchiveTests {
    let reader = PackageArchiveReader()

    @Test("the package the corpus starts from is accepted, as a tar.gz and as a zip")
    func baselineIsAccepted() throws {
        for format in [ArchiveBuilder.Format.tarGzip, .zip] {
            let package = try reader.read(try ArchiveBuilder.package(format))
            #expect(package.files.keys.sorted() == ["main.py", "toolhost.json"])
            #expect(package.executablePaths == ["main.py"])
        }
    }

    @Test("a hostile archive is refused with its own code", arguments: HostileArchive.corpus)
    func hostileArchiveIsRefused(_ hostile: HostileArchive) throws {
        let archive = try hostile.build()
        let error = PublishingFixture.refusal { _ = try reader.read(archive) }
        #expect(error?.code == hostile.expected, "\(error?.message ?? "accepted")")
        if let entry = hostile.entry {
            #expect(error?.entry == entry || error?.message.contains(entry) == true, "\(error?.message ?? "")")
        }
    }

    @Test("refusals name the limit that was crossed")
    func messagesNameTheLimit() throws {
        let many = try HostileArchive.corpus.first { $0.expected == .tooManyEntries }!.build()
        let error = PublishingFixture.refusal { _ = try reader.read(many) }
        #expect(error?.message.contains("2000") == true)
        #expect(error?.httpStatus == 413)
        let manifest = try HostileArchive.corpus.first { $0.expected == .manifestTooLarge }!.build()
        let manifestError = PublishingFixture.refusal { _ = try reader.read(manifest) }
        #expect(manifestError?.message.contains("\(256 << 10)") == true)
    }

    @Test("a folder wrapping the package is named in the refusal, so the publisher knows what to repack")
    func wrappedFolderHint() throws {
        let wrapped = try HostileArchive.corpus.first { $0.name == "a package wrapped in a folder" }!.build()
        let error = PublishingFixture.refusal { _ = try reader.read(wrapped) }
        #expect(error?.message.contains("word-count/toolhost.json") == true)
    }
}
