import ArchiveSupport
import TestSupport
import Foundation
import Registry
import Testing
import ToolhostCore

@Suite("Reading package archives")
struct PackageArchiveReaderTests {
    static let tree = [
        "toolhost.json": ArchiveBuilder.manifestText(),
        "main.py": "import sys\nprint(sys.stdin.read())\n",
        "src/words.py": "def count(text):\n    return len(text.split())\n",
        "fixtures/sample.json": "{\"text\": \"a b\"}\n",
    ]

    @Test("a package made with `tar -czf` is read with its files, its manifest and its execute bits")
    func tarMadePackage() throws {
        try PublishingFixture.withTemporaryDirectory { directory in
            let root = directory.appendingPathComponent("word-count")
            try PublishingFixture.write(Self.tree, under: root, executables: ["main.py"])
            // `-C dir .` names every entry `./…` and adds the root as `./`, as most people pack.
            try PublishingFixture.run(["tar", "-czf", "../package.tar.gz", "."], in: root)
            let package = try PackageArchiveReader().read(try Data(contentsOf: directory.appendingPathComponent("package.tar.gz")))
            #expect(package.format == .tarGzip)
            #expect(package.files.mapValues { String(decoding: $0, as: UTF8.self) } == Self.tree)
            #expect(package.executablePaths == ["main.py"])
            #expect(package.expandedBytes == Self.tree.values.map(\.utf8.count).reduce(0, +))
            let manifest = try ManifestLoader.load(data: package.manifest, source: "upload")
            #expect(manifest.manifest.name == "acme/word-count")
        }
    }

    @Test("a package made with `zip -r` is read the same way")
    func zipMadePackage() throws {
        try PublishingFixture.withTemporaryDirectory { directory in
            let root = directory.appendingPathComponent("word-count")
            try PublishingFixture.write(Self.tree, under: root, executables: ["main.py"])
            try PublishingFixture.run(["zip", "-q", "-r", "../package.zip", "."], in: root)
            let package = try PackageArchiveReader().read(try Data(contentsOf: directory.appendingPathComponent("package.zip")))
            #expect(package.format == .zip)
            #expect(package.files.mapValues { String(decoding: $0, as: UTF8.self) } == Self.tree)
            #expect(package.executablePaths == ["main.py"])
        }
    }

    @Test("the format is told by the bytes, whatever the upload was called")
    func formatByContent() throws {
        #expect(PackageArchiveReader.format(of: try ArchiveBuilder.package(.tarGzip)) == .tarGzip)
        #expect(PackageArchiveReader.format(of: try ArchiveBuilder.package(.zip)) == .zip)
        #expect(PackageArchiveReader.format(of: try ArchiveBuilder.package(.plainTar)) == nil)
        #expect(PackageArchiveReader.format(of: Data("{\"name\": 1}".utf8)) == nil)
    }

    @Test("a file with a non-ASCII name keeps it")
    func unicodeNames() throws {
        let archive = try ArchiveBuilder.package { try $0.file("docs/café.md", "# Café\n") }
        let package = try PackageArchiveReader().read(archive)
        #expect(package.files["docs/café.md"] == Data("# Café\n".utf8))
    }

    @Test("an archive over the compressed-size cap is refused before it is opened, with 413")
    func compressedCap() throws {
        var limits = PackageArchiveLimits()
        limits.maxArchiveBytes = 4096
        let archive = try ArchiveBuilder.package { try $0.file("data.bin", PublishingFixture.randomData(8192)) }
        let error = PublishingFixture.refusal { _ = try PackageArchiveReader(limits: limits).read(archive) }
        #expect(error?.code == .tooLarge)
        #expect(error?.httpStatus == 413)
        #expect(error?.message.contains("4096") == true)
    }

    @Test("a file over the per-file cap is refused and named")
    func perFileCap() throws {
        var limits = PackageArchiveLimits()
        limits.maxFileBytes = 8000
        let archive = try ArchiveBuilder.package { try $0.file("lib/big.bin", PublishingFixture.randomData(8001)) }
        let error = PublishingFixture.refusal { _ = try PackageArchiveReader(limits: limits).read(archive) }
        #expect(error?.code == .fileTooLarge)
        #expect(error?.entry == "lib/big.bin")
        #expect(error?.message.contains("8000") == true)
    }

    @Test("a refusal becomes a ToolhostError that keeps its publish code and HTTP status")
    func toolhostErrorMapping() throws {
        let traversal = PublishError(.pathTraversal, "\"../x\": `..` is not allowed", entry: "../x").toolhostError
        #expect(traversal.code == .invalidInput)
        #expect(traversal.details?["publishCode"] == "path_traversal")
        #expect(traversal.code.httpStatus == 422)
        #expect(traversal.details?["entry"] == "../x")
        let size = PublishError(.expansionRatio, "bomb").toolhostError
        #expect(size.code.httpStatus == 413 && size.code == .payloadTooLarge)
        #expect(PublishError(.understatedPrivilege, "x").toolhostError.code == .invalidManifest)
        #expect(PublishError(.breakingChange, "x").toolhostError.code == .invalidManifest)
    }
}
