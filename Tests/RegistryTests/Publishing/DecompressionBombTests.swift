import TestSupport
import Foundation
import Registry
import Testing
import ToolhostCore

@Suite("Decompression bombs")
struct DecompressionBombTests {
    /// One gigabyte of zeros in a tar.gz of about one megabyte, built once by streaming (the gigabyte
    /// never exists in memory) and shared by the tests below.
    static let gigabyteBomb: Data = {
        do {
            let builder = try ArchiveBuilder(.tarGzip)
            try builder.file("toolhost.json", ArchiveBuilder.manifestText())
            try builder.zeros("bomb.bin", count: 1 << 30)
            return try builder.finish()
        } catch {
            fatalError("cannot build the bomb: \(error)")
        }
    }()

    @Test("a gigabyte of zeros compressed to a megabyte is refused at the per-file cap")
    func gigabyteStopsAtTheFileCap() throws {
        let bomb = Self.gigabyteBomb
        #expect(bomb.count < 2 << 20)
        let error = PublishingFixture.refusal { _ = try PackageArchiveReader().read(bomb) }
        // The tar header admits the size, so this is refused before a byte of it is inflated.
        #expect(error?.code == .fileTooLarge)
        #expect(error?.entry == "bomb.bin")
        #expect(error?.httpStatus == 413)
    }

    @Test("with the size caps lifted, the gigabyte bomb stops at the expansion ratio, long before a gigabyte")
    func gigabyteStopsAtTheRatio() throws {
        let bomb = Self.gigabyteBomb
        var limits = PackageArchiveLimits()
        limits.maxFileBytes = 4 << 30
        limits.maxExpandedBytes = 4 << 30
        let started = ContinuousClock.now
        let error = PublishingFixture.refusal { _ = try PackageArchiveReader(limits: limits).read(bomb) }
        let elapsed = ContinuousClock.now - started
        #expect(error?.code == .expansionRatio)
        // Counting, not header sizes: the read stopped one 64 KiB block past 100 × the archive's size.
        let expanded = error?.details?["expandedSoFar"]?.intValue
        let cap = bomb.count * 100
        #expect(expanded.map { $0 > cap && $0 <= cap + (64 << 10) } == true, "stopped after \(expanded ?? -1) bytes, cap \(cap)")
        #expect(elapsed < .seconds(20))
    }

    @Test("a small archive that inflates a thousandfold is refused for its expansion ratio")
    func smallBomb() throws {
        let builder = try ArchiveBuilder(.tarGzip)
        try builder.file("toolhost.json", ArchiveBuilder.manifestText())
        try builder.zeros("fixtures/zeros.bin", count: 8 << 20)
        let archive = try builder.finish()
        let error = PublishingFixture.refusal { _ = try PackageArchiveReader().read(archive) }
        #expect(error?.code == .expansionRatio)
        #expect(error?.message.contains("decompression bomb") == true)
    }

    @Test("a megabyte of regular text is under the ratio's grace and accepted")
    func graceForSmallPackages() throws {
        let builder = try ArchiveBuilder(.tarGzip)
        try builder.file("toolhost.json", ArchiveBuilder.manifestText())
        try builder.file("fixtures/table.csv", String(repeating: "1,2,3\n", count: 150_000))
        let archive = try builder.finish()
        #expect(archive.count * 100 < 900_000)
        let package = try PackageArchiveReader().read(archive)
        #expect(package.files["fixtures/table.csv"]?.count == 900_000)
    }

    @Test("many files that are each under the cap are refused once their sum crosses the expanded cap")
    func expandedTotal() throws {
        var limits = PackageArchiveLimits()
        limits.maxExpandedBytes = 200 << 10
        let builder = try ArchiveBuilder(.tarGzip)
        try builder.file("toolhost.json", ArchiveBuilder.manifestText())
        for index in 0..<5 { try builder.file("data/\(index).bin", PublishingFixture.randomData(64 << 10)) }
        let archive = try builder.finish()
        let error = PublishingFixture.refusal { _ = try PackageArchiveReader(limits: limits).read(archive) }
        #expect(error?.code == .expandedTooLarge)
        #expect(error?.entry == "data/3.bin")
    }

    @Test("a zip whose headers understate a file's size is still stopped at the per-file cap")
    func lyingZipHeaders() throws {
        var limits = PackageArchiveLimits()
        limits.maxFileBytes = 1 << 20
        limits.maxExpansionRatio = 1_000_000
        let builder = try ArchiveBuilder(.zip)
        try builder.file("toolhost.json", ArchiveBuilder.manifestText())
        try builder.zeros("small.txt", count: 4 << 20)
        let lying = ZipSurgery.settingUncompressedSizes(of: "small.txt", to: 100, in: try builder.finish())
        let error = PublishingFixture.refusal { _ = try PackageArchiveReader(limits: limits).read(lying) }
        #expect(error?.code == .fileTooLarge, "\(error?.message ?? "accepted")")
        #expect(error?.message.contains("more than \(1 << 20) bytes") == true, "\(error?.message ?? "")")
    }
}
