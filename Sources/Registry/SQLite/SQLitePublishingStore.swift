import Foundation
import GRDB
import Storage
import Synchronization
import ToolhostCore

/// Publishing over the data directory's SQLite database, with the archives in a ``BlobStore``.
public struct SQLitePublishingStore: PublishingStore {
    let database: SQLiteDatabase
    let blobs: BlobStore

    init(database: SQLiteDatabase, blobs: BlobStore) {
        self.database = database
        self.blobs = blobs
    }

    /// ``PackageUpload``'s checks → namespace ownership → signature (when the namespace has keys) →
    /// 409 on an existing version → breaking-change check → blob → catalog rows and audit event, the
    /// last five in one transaction. A failure at any step leaves no trace: the blob is removed
    /// again if the transaction fails, and one a crash leaves behind is swept at start-up.
    public func publish(_ request: PublishRequest, limits: PackageArchiveLimits) async throws(ToolhostError) -> PublishedVersion {
        let upload = try PackageUpload(request, limits: limits)
        let blobs = blobs
        let blobWrite = BlobWrite()
        do {
            return try await database.write { db in
                let manifest = upload.manifest
                let caller = request.caller
                let owner = try String.fetchOne(db, sql: "SELECT tenant FROM namespace WHERE name = ?", arguments: [manifest.namespace])
                try Self.claimNamespace(manifest.namespace, owner: owner, for: caller, in: db)
                let keys = try Row.fetchAll(db, sql: "SELECT publicKey, fingerprint FROM signingKey WHERE namespace = ?", arguments: [manifest.namespace])
                    .map { (publicKey: $0["publicKey"] as String, fingerprint: $0["fingerprint"] as String) }
                let signingKey = try PackageUpload.verifySignature(request.signature, of: request.archive, namespace: manifest.namespace, keys: keys)
                let stored = try String.fetchOne(db, sql: "SELECT visibility FROM package WHERE name = ?", arguments: [manifest.name])
                let visibility = try PackageUpload.visibility(requested: request.visibility, stored: stored.flatMap(Visibility.init(rawValue:)), of: manifest.name)
                let existing = try Self.storedManifests(of: manifest.name, in: db)
                try PackageUpload.refuseExistingVersion(manifest.version, of: manifest.name, among: existing.map(\.version))
                let baseline = BreakingChanges.baseline(for: manifest.version, among: existing.map(\.version))
                do {
                    try BreakingChanges.check(manifest, previous: existing.first { $0.version == baseline })
                } catch let refusal as PublishError {
                    throw refusal.toolhostError
                }
                let digest = upload.digest
                let isNew = try blobs.put(request.archive, sha256: digest.hex)
                blobWrite.wasNew.withLock { $0 = isNew }
                let record = PublicationRecord(
                    tenant: caller.tenant, visibility: visibility, sha256: digest.hex, size: request.archive.count,
                    signature: request.signature, signingKey: signingKey, publisherKey: caller.keyID)
                try SQLiteCatalog.insert(upload.loaded, in: db, now: Date(), record: record)
                try SQLiteAuditLog.record(
                    in: db, tenant: caller.tenant, actor: caller.keyID, action: "package.publish", target: "\(manifest.name)@\(manifest.version)",
                    detail: ["sha256": .string(digest.hex), "size": .int(request.archive.count), "signed": .bool(signingKey != nil)],
                    remoteAddress: request.remoteAddress)
                return PublishedVersion(
                    name: manifest.name, version: manifest.version, sha256: digest.hex, size: request.archive.count,
                    signed: signingKey != nil, visibility: visibility, tools: manifest.tools.map(\.name))
            }
        } catch {
            // Undo the blob when no committed version refers to it.
            let sha256 = upload.digest.hex
            if blobWrite.wasNew.withLock({ $0 }), !((try? await isReferenced(sha256: sha256)) ?? true) { blobs.remove(sha256: sha256) }
            throw error
        }
    }

    public func setYanked(_ yanked: Bool, name: String, version: SemanticVersion, reason: String?, caller: Caller) async throws(ToolhostError) {
        try caller.require(.publish)
        try await database.write { db in
            let package = try Self.ownedPackage(name, caller: caller, in: db)
            try db.execute(sql: "UPDATE packageVersion SET yanked = ?, yankReason = ? WHERE packageId = ? AND version = ?",
                           arguments: [yanked, yanked ? reason : nil, package, version.description])
            guard db.changesCount > 0 else { throw ToolhostError(.notFound, "no version \(version) of package \"\(name)\"") }
            try SQLiteCatalog.updateLatestVersion(ofPackage: package, in: db)
            try SQLiteAuditLog.record(in: db, tenant: caller.tenant, actor: caller.keyID, action: yanked ? "package.yank" : "package.unyank",
                                      target: "\(name)@\(version)", detail: reason.map { ["reason": .string($0)] })
        }
    }

    public func deprecate(name: String, version: SemanticVersion, message: String?, caller: Caller) async throws(ToolhostError) {
        try caller.require(.publish)
        try await database.write { db in
            let package = try Self.ownedPackage(name, caller: caller, in: db)
            try db.execute(sql: "UPDATE packageVersion SET deprecationMessage = ? WHERE packageId = ? AND version = ?",
                           arguments: [message, package, version.description])
            guard db.changesCount > 0 else { throw ToolhostError(.notFound, "no version \(version) of package \"\(name)\"") }
            try SQLiteAuditLog.record(in: db, tenant: caller.tenant, actor: caller.keyID, action: message == nil ? "package.undeprecate" : "package.deprecate",
                                      target: "\(name)@\(version)", detail: message.map { ["message": .string($0)] })
        }
    }

    public func registerSigningKey(_ base64: String, namespace: String, caller: Caller) async throws(ToolhostError) -> String {
        try caller.require(.publish)
        try PackageNamespace.check(namespace)
        let key: PackagePublicKey
        do { key = try PackagePublicKey(base64: base64) } catch { throw error.toolhostError }
        return try await database.write { db in
            let owner = try String.fetchOne(db, sql: "SELECT tenant FROM namespace WHERE name = ?", arguments: [namespace])
            try Self.claimNamespace(namespace, owner: owner, for: caller, in: db)
            try db.execute(
                sql: "INSERT OR IGNORE INTO signingKey (namespace, publicKey, fingerprint, addedBy, createdAt) VALUES (?, ?, ?, ?, ?)",
                arguments: [namespace, key.base64, key.fingerprint, caller.keyID, Date()])
            try SQLiteAuditLog.record(in: db, tenant: caller.tenant, actor: caller.keyID, action: "namespace.key.add", target: namespace,
                                      detail: ["fingerprint": .string(key.fingerprint)])
            return key.fingerprint
        }
    }

    public func archive(sha256: String) async -> Data? { blobs.get(sha256: sha256) }

    public func sweepUnreferencedArchives() async throws(ToolhostError) -> [String] {
        let referenced = try await database.read { db in Set(try String.fetchAll(db, sql: "SELECT sha256 FROM packageVersion WHERE sha256 IS NOT NULL")) }
        return blobs.sweep(keeping: referenced)
    }

    /// Whether any stored version refers to the blob.
    func isReferenced(sha256: String) async throws(ToolhostError) -> Bool {
        try await database.read { db in try Bool.fetchOne(db, sql: "SELECT 1 FROM packageVersion WHERE sha256 = ?", arguments: [sha256]) ?? false }
    }

    /// Records the caller's tenant as the owner of a namespace that has none; refuses another tenant's.
    private static func claimNamespace(_ namespace: String, owner: String?, for caller: Caller, in db: Database) throws {
        try PackageUpload.checkNamespaceOwner(owner, of: namespace, caller: caller)
        guard owner == nil else { return }
        try db.execute(sql: "INSERT INTO namespace (name, tenant, createdAt) VALUES (?, ?, ?)", arguments: [namespace, caller.tenant, Date()])
    }

    private static func storedManifests(of name: String, in db: Database) throws -> [PackageManifest] {
        try String.fetchAll(db, sql: """
            SELECT v.manifest FROM packageVersion v JOIN package p ON p.id = v.packageId WHERE p.name = ?
            """, arguments: [name]).map { try JSONDecoder().decode(PackageManifest.self, from: Data($0.utf8)) }
    }

    /// The package's id when the caller's tenant owns it; another tenant's private package is not found.
    private static func ownedPackage(_ name: String, caller: Caller, in db: Database) throws -> Int64 {
        let row = try SQLiteCatalog.packageRow(name, visibleTo: caller.tenant, in: db)
        guard row["tenant"] == caller.tenant, !(row["isBuiltin"] as Bool) else {
            throw ToolhostError(.forbidden, "the package \"\(name)\" belongs to another tenant")
        }
        return row["id"]
    }
}

/// Whether a publish wrote its archive's blob: set inside the transaction, read after it failed.
private final class BlobWrite: Sendable {
    let wasNew = Mutex(false)
}
