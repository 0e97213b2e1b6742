import Foundation
import GRDB
import Storage
import ToolhostCore

extension SQLiteCatalog {
    public func insertVersion(_ loaded: LoadedManifest) async throws(ToolhostError) {
        try await database.write { db in
            try Self.insert(loaded, in: db, now: Date())
        }
    }

    @discardableResult
    public func syncBuiltins(_ manifests: [LoadedManifest]) async throws(ToolhostError) -> BuiltinSyncReport {
        try await database.write { db in
            var report = BuiltinSyncReport()
            let now = Date()
            let shipped = Set(manifests.map(\.manifest.name))
            for loaded in manifests {
                let manifest = loaded.manifest
                let stored = try String.fetchOne(db, sql: """
                    SELECT v.manifest FROM packageVersion v JOIN package p ON p.id = v.packageId
                    WHERE p.name = ? AND v.version = ?
                    """, arguments: [manifest.name, manifest.version.description])
                let text = loaded.document.serialized()
                if stored == text {
                    report.unchanged += 1
                    continue
                }
                let existed = try Self.deleteBuiltinPackage(named: manifest.name, in: db)
                try Self.insert(loaded, in: db, now: now)
                if existed { report.replaced.append(manifest.name) } else { report.added.append(manifest.name) }
            }
            let storedBuiltins = try String.fetchAll(db, sql: "SELECT name FROM package WHERE isBuiltin")
            for name in storedBuiltins where !shipped.contains(name) {
                _ = try Self.deleteBuiltinPackage(named: name, in: db)
                report.removed.append(name)
            }
            return report
        }
    }

    /// Removes a built-in package with its versions and tools (cascading); `false` if there was none.
    private static func deleteBuiltinPackage(named name: String, in db: Database) throws -> Bool {
        try db.execute(sql: "DELETE FROM package WHERE name = ? AND isBuiltin", arguments: [name])
        return db.changesCount > 0
    }

    /// Inserts one package version with its tools and capability rows, then recomputes the
    /// package's latest version. Runs inside the caller's transaction.
    static func insert(_ loaded: LoadedManifest, in db: Database, now: Date, record: PublicationRecord = .bundled) throws {
        let manifest = loaded.manifest
        let packageId = try packageId(for: manifest, in: db, now: now, record: record)
        let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM packageVersion WHERE packageId = ? AND version = ?",
                                       arguments: [packageId, manifest.version.description]) ?? false
        if exists {
            throw ToolhostError(.conflict, "\(manifest.name)@\(manifest.version) already exists; published versions are immutable, publish a new version")
        }
        try db.execute(
            sql: """
                INSERT INTO packageVersion (packageId, version, manifest, publishedAt, sha256, size, signature, signingKey, publisherKey)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [packageId, manifest.version.description, loaded.document.serialized(), now,
                        record.sha256, record.size, record.signature, record.signingKey, record.publisherKey])
        let versionId = db.lastInsertedRowID
        for tool in manifest.tools {
            try insert(tool, of: manifest, versionId: versionId, in: db)
        }
        try updateLatestVersion(ofPackage: packageId, in: db)
    }

    private static func packageId(for manifest: PackageManifest, in db: Database, now: Date, record: PublicationRecord) throws -> Int64 {
        if let id = try Int64.fetchOne(db, sql: "SELECT id FROM package WHERE name = ?", arguments: [manifest.name]) {
            return id
        }
        try db.execute(
            sql: "INSERT INTO package (name, namespace, isBuiltin, createdAt, tenant, visibility) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [manifest.name, manifest.namespace, manifest.isBuiltin, now, record.tenant, record.visibility.rawValue])
        return db.lastInsertedRowID
    }

    private static func insert(_ tool: ToolDefinition, of manifest: PackageManifest, versionId: Int64, in db: Database) throws {
        let annotations = tool.annotations
        let keywords = ((tool.keywords ?? []) + (manifest.keywords ?? [])).joined(separator: " ")
        let definition = try String(decoding: JSONEncoder.sortedKeys.encode(tool), as: UTF8.self)
        try db.execute(
            sql: """
                INSERT INTO tool (versionId, name, qualifiedName, title, description, keywords, privilegeLevel,
                                  readOnly, destructive, idempotent, openWorld, definition)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                versionId, tool.name,
                QualifiedToolName.make(package: manifest.name, namespace: manifest.namespace, tool: tool.name),
                tool.title, tool.description, keywords, tool.privilegeLevel.rawValue,
                annotations.isReadOnly, annotations.isDestructive, annotations.isIdempotent, annotations.isOpenWorld,
                definition,
            ])
        let toolId = db.lastInsertedRowID
        for (direction, schema) in [("input", tool.inputSchema), ("output", tool.outputSchema)] {
            for property in SchemaProperties.flatten(schema) {
                try db.execute(
                    sql: "INSERT INTO toolProperty (toolId, direction, path, type, required) VALUES (?, ?, ?, ?, ?)",
                    arguments: [toolId, direction, property.path, property.type, property.required])
            }
        }
    }

    /// Points the package at its highest release that is not yanked, else its highest prerelease
    /// that is not yanked, else nothing (every version yanked: searches no longer show it).
    static func updateLatestVersion(ofPackage packageId: Int64, in db: Database) throws {
        let rows = try Row.fetchAll(db, sql: "SELECT id, version FROM packageVersion WHERE packageId = ? AND NOT yanked",
                                    arguments: [packageId])
        let versions = rows.compactMap { row -> (id: Int64, version: SemanticVersion)? in
            guard let version = try? SemanticVersion(parsing: row["version"]) else { return nil }
            return (row["id"], version)
        }
        let releases = versions.filter { !$0.version.isPrerelease }
        let latest = (releases.isEmpty ? versions : releases).max { $0.version < $1.version }
        try db.execute(sql: "UPDATE package SET latestVersionId = ? WHERE id = ?", arguments: [latest?.id, packageId])
    }
}

/// Where a stored version came from: who owns the package, who may see it, and the archive's integrity data.
struct PublicationRecord: Sendable {
    var tenant = "local"
    var visibility = Visibility.public
    var sha256: String?
    var size: Int?
    var signature: String?
    var signingKey: String?
    var publisherKey: String?

    /// Built-ins and other packages that ship with the host: public, owned by the local tenant.
    static let bundled = PublicationRecord()
}

/// Who may see a package: every tenant, or only the one that owns it.
public enum Visibility: String, Sendable, Hashable, Codable, CaseIterable {
    case `public`, `private`
}

extension JSONEncoder {
    /// An encoder with sorted keys, so stored JSON is byte-for-byte stable.
    static var sortedKeys: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
