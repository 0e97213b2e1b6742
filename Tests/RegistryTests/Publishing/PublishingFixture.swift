import Foundation
import Registry
import Testing

/// Shared helpers of the publishing tests: temporary directories and refusals.
enum PublishingFixture {
    /// A fresh directory, removed by `body`'s end.
    static func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("toolhost-publish-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: url) }
        return try body(url)
    }

    /// Writes `files` (path → contents) under `root`, creating folders, with `mode` for the paths in `executables`.
    static func write(_ files: [String: String], under root: URL, executables: Set<String> = []) throws {
        for (path, contents) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: url)
            let mode = executables.contains(path) ? 0o755 : 0o644
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
        }
    }

    /// Runs a system tool (`tar`, `zip`) in `directory` and fails the test if it fails.
    static func run(_ arguments: [String], in directory: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "\(arguments.joined(separator: " ")) failed")
    }

    /// Random bytes: content that does not compress, so that ratio caps stay out of the way.
    static func randomData(_ count: Int) -> Data {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// The error `body` throws, which must be a ``PublishError``; records an issue otherwise.
    static func refusal(sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) -> PublishError? {
        #expect(throws: PublishError.self, sourceLocation: sourceLocation) { try body() }
    }
}
