import Foundation
import Registry
import Server
import TestSupport
import ToolhostCore

/// What the tests of the host's routes need around a ``ServerFixture``: packages that run, keys, and
/// what the test kit's `record` tool wrote.
extension ServerFixture {
    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Publishes `Registry/examples/<folder>` through the real publishing pipeline.
    func publishExample(_ folder: String) async throws {
        let archive = try PackageArchiveWriter().pack(directory: Self.repository.appendingPathComponent("Registry/examples/\(folder)"))
        _ = try await server.registry.publishing.publish(PublishRequest(archive: archive, caller: .localAdmin))
    }

    /// Publishes `acme/testkit` (see ``TestKit``): `record` (level 3), `flaky`, `liar`.
    func publishTestKit() async throws {
        _ = try await server.registry.publishing.publish(PublishRequest(archive: try TestKit.archive(), caller: .localAdmin))
    }

    /// A new API key: its id and its bearer secret.
    func key(level: PrivilegeLevel, scopes: Set<Scope>, tenant: String = "local") async throws -> (id: String, secret: String) {
        let created = try await server.registry.keys.createAPIKey(tenant: tenant, name: "test \(level)", maxPrivilege: level, scopes: scopes)
        return (created.caller.keyID, created.secret)
    }

    /// Every line the test kit's `record` tool wrote, in any workspace of the data directory.
    func recordedRuns() -> [String] { Self.recordedRuns(in: directory) }

    static func recordedRuns(in dataDirectory: URL) -> [String] {
        let workspaces = dataDirectory.appendingPathComponent("workspaces")
        guard let files = FileManager.default.enumerator(at: workspaces, includingPropertiesForKeys: nil) else { return [] }
        var lines: [String] = []
        for case let file as URL in files where file.lastPathComponent == "runs.txt" {
            lines += ((try? String(contentsOf: file, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
        return lines
    }
}
