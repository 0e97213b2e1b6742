import Foundation
import GRDB
import ToolhostCore

/// One stored version of a package, with everything the registry knows about it.
public struct PackageVersionDetail: Sendable, Hashable, Codable {
    public var name: String
    public var version: SemanticVersion
    public var manifest: JSONValue
    public var sha256: String?
    public var size: Int?
    public var signature: String?
    public var signingKey: String?
    public var publisher: String?
    public var visibility: Visibility
    public var yanked: Bool
    public var yankReason: String?
    public var deprecated: String?
    public var publishedAt: Date
}

/// A package with its versions, newest first.
public struct PackageSummary: Sendable, Hashable, Codable {
    public var name: String
    public var visibility: Visibility
    public var latest: SemanticVersion?
    public var versions: [PackageVersionInfo]
}

extension SQLiteCatalog {
    /// The package `name` as `tenant` may see it (nil sees all).
    /// - Throws: ``ToolhostError`` `not_found`, also for another tenant's private package.
    public func package(named name: String, visibleTo tenant: String?) throws(ToolhostError) -> PackageSummary {
        try read { db in
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

    /// One version of a package as `tenant` may see it.
    /// - Throws: ``ToolhostError`` `not_found` naming `name@version`.
    public func packageVersion(named name: String, version: SemanticVersion, visibleTo tenant: String?) throws(ToolhostError) -> PackageVersionDetail {
        try read { db in
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

    /// Yanks or restores a version: a yanked version is hidden from ranges and searches, but an exact pin still resolves.
    /// - Throws: ``ToolhostError`` `not_found`, or `forbidden` for a package the caller's tenant does not own.
    public func setYanked(_ yanked: Bool, name: String, version: SemanticVersion, reason: String?, caller: Caller) throws(ToolhostError) {
        try caller.require(.publish)
        try write { db in
            let package = try Self.ownedPackage(name, caller: caller, in: db)
            try db.execute(sql: "UPDATE packageVersion SET yanked = ?, yankReason = ? WHERE packageId = ? AND version = ?",
                           arguments: [yanked, yanked ? reason : nil, package, version.description])
            guard db.changesCount > 0 else { throw ToolhostError(.notFound, "no version \(version) of package \"\(name)\"") }
            try Self.updateLatestVersion(ofPackage: package, in: db)
            try Self.audit(in: db, tenant: caller.tenant, actor: caller.keyID, action: yanked ? "package.yank" : "package.unyank",
                           target: "\(name)@\(version)", detail: reason.map { ["reason": .string($0)] })
        }
    }

    /// Marks a version deprecated with a message (nil removes the mark).
    /// - Throws: ``ToolhostError`` `not_found`, or `forbidden` for a package the caller's tenant does not own.
    public func deprecate(name: String, version: SemanticVersion, message: String?, caller: Caller) throws(ToolhostError) {
        try caller.require(.publish)
        try write { db in
            let package = try Self.ownedPackage(name, caller: caller, in: db)
            try db.execute(sql: "UPDATE packageVersion SET deprecationMessage = ? WHERE packageId = ? AND version = ?",
                           arguments: [message, package, version.description])
            guard db.changesCount > 0 else { throw ToolhostError(.notFound, "no version \(version) of package \"\(name)\"") }
            try Self.audit(in: db, tenant: caller.tenant, actor: caller.keyID, action: message == nil ? "package.undeprecate" : "package.deprecate",
                           target: "\(name)@\(version)", detail: message.map { ["message": .string($0)] })
        }
    }

    private static func packageRow(_ name: String, visibleTo tenant: String?, in db: Database) throws -> Row {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM package WHERE name = ?", arguments: [name]),
            tenant == nil || row["visibility"] == "public" || row["tenant"] == tenant
        else { throw ToolhostError(.notFound, "no package named \"\(name)\"") }
        return row
    }

    /// The package's id when the caller's tenant owns it; another tenant's private package is not found.
    private static func ownedPackage(_ name: String, caller: Caller, in db: Database) throws -> Int64 {
        let row = try packageRow(name, visibleTo: caller.tenant, in: db)
        guard row["tenant"] == caller.tenant, !(row["isBuiltin"] as Bool) else {
            throw ToolhostError(.forbidden, "the package \"\(name)\" belongs to another tenant")
        }
        return row["id"]
    }
}
