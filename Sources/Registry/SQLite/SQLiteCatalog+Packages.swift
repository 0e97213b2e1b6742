import Foundation
import GRDB
import Storage
import ToolhostCore

extension SQLiteCatalog {
    public func package(named name: String, visibleTo tenant: String?) async throws(ToolhostError) -> PackageSummary {
        try await database.read { db in
            let row = try Self.packageRow(name, visibleTo: tenant, in: db)
            let versions = try Row.fetchAll(db, sql: "SELECT version, yanked, deprecationMessage FROM packageVersion WHERE packageId = ?",
                                            arguments: [row["id"] as Int64])
                .map { PackageVersionInfo(version: try SemanticVersion(parsing: $0["version"] as String), yanked: $0["yanked"], deprecationMessage: $0["deprecationMessage"]) }
                .sorted { $0.version > $1.version }
            let latest = try String.fetchOne(db, sql: "SELECT version FROM packageVersion WHERE id = ?", arguments: [row["latestVersionId"] as Int64?])
            return PackageSummary(name: name, visibility: Visibility(rawValue: row["visibility"]) ?? .public,
                                  latest: try latest.map { try SemanticVersion(parsing: $0) }, versions: versions)
        }
    }

    public func packageVersion(named name: String, version: SemanticVersion, visibleTo tenant: String?) async throws(ToolhostError) -> PackageVersionDetail {
        try await database.read { db in
            let package = try Self.packageRow(name, visibleTo: tenant, in: db)
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM packageVersion WHERE packageId = ? AND version = ?",
                                             arguments: [package["id"] as Int64, version.description]) else {
                throw ToolhostError(.notFound, "no version \(version) of package \"\(name)\"")
            }
            return PackageVersionDetail(
                name: name, version: version, manifest: try JSONValue(parsing: row["manifest"] as String),
                sha256: row["sha256"], size: row["size"], signature: row["signature"], signingKey: row["signingKey"],
                publisher: row["publisherKey"], visibility: Visibility(rawValue: package["visibility"]) ?? .public,
                yanked: row["yanked"], yankReason: row["yankReason"], deprecated: row["deprecationMessage"], publishedAt: row["publishedAt"])
        }
    }

    static func packageRow(_ name: String, visibleTo tenant: String?, in db: Database) throws -> Row {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM package WHERE name = ?", arguments: [name]),
            tenant == nil || row["visibility"] == "public" || row["tenant"] == tenant
        else { throw ToolhostError(.notFound, "no package named \"\(name)\"") }
        return row
    }
}
