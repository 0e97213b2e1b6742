import Foundation
import GRDB
import ToolhostCore

/// A package upload as the registry receives it.
public struct PublishRequest: Sendable {
    public var archive: Data
    /// The sha256 the client computed (hex, optionally `sha256:`-prefixed); must match when given.
    public var checksum: String?
    /// Base64 Ed25519 signature of the archive; required when the namespace has signing keys.
    public var signature: String?
    /// Who may see the package. A package's visibility is fixed by its first publish: nil keeps the
    /// stored one (public for a new package), and a value that differs from it is refused.
    public var visibility: Visibility?
    public var caller: Caller
    public var remoteAddress: String?
    /// The limits a tool gets at each level when its manifest names none; stored with the version
    /// so that the manifest shows them. Nil leaves omitted limits to be decided when the tool runs.
    public var limitDefaults: ToolLimitDefaults?

    public init(archive: Data, caller: Caller) {
        self.archive = archive
        self.caller = caller
    }
}

/// What a successful publish stored.
public struct PublishedVersion: Sendable, Hashable, Codable {
    public var name: String
    public var version: SemanticVersion
    public var sha256: String
    public var size: Int
    public var signed: Bool
    /// The package's visibility as stored (fixed by its first publish).
    public var visibility: Visibility
    public var tools: [String]
}

extension SQLiteCatalog {
    /// Runs the publishing pipeline: size cap → sha256 (and the client's checksum) → safe unpack →
    /// manifest and schema checks → privilege derivation → namespace ownership → signature (when
    /// the namespace has keys) → 409 on an existing version → breaking-change check → blob → catalog
    /// row and audit event in one transaction. A failure at any step leaves no trace: the blob is
    /// removed again if the transaction fails, and one a crash leaves behind is swept at start-up.
    /// - Throws: ``ToolhostError`` with the code and status of the first failing step; a
    ///   ``PublishError``'s own code is kept in `details.publishCode`.
    public func publish(_ request: PublishRequest, blobs: BlobStore, limits: PackageArchiveLimits = PackageArchiveLimits()) throws(ToolhostError) -> PublishedVersion {
        try request.caller.require(.publish)
        let archive = request.archive
        guard archive.count <= limits.maxArchiveBytes else {
            throw PublishError(.tooLarge, "the archive has \(archive.count) bytes; the limit is \(limits.maxArchiveBytes)").toolhostError
        }
        let digest = PackageDigest(of: archive)
        if let checksum = request.checksum {
            let claimed: PackageDigest
            do { claimed = try PackageDigest(parsing: checksum) } catch { throw error.toolhostError }
            guard claimed == digest else {
                throw ToolhostError(.invalidInput, "checksum mismatch: the client sent \(claimed.hex), the archive's sha256 is \(digest.hex)",
                                    details: ["publishCode": "checksum_mismatch"])
            }
        }
        let package: UnpackedPackage
        do { package = try PackageArchiveReader(limits: limits).read(archive) } catch { throw error.toolhostError }
        let loaded = try ManifestLoader.load(data: package.manifest, source: "toolhost.json", limitDefaults: request.limitDefaults)
        let manifest = loaded.manifest
        try PackageNamespace.check(manifest.namespace)
        if manifest.isBuiltin {
            throw ToolhostError(.forbidden, "the builtin runtime is reserved for Toolhost's own tools")
        }
        if let entrypoint = manifest.runtime.entrypoint, package.files[entrypoint] == nil {
            throw ToolhostError(.invalidManifest, "toolhost.json: runtime.entrypoint: \"\(entrypoint)\" is not a file in the package")
        }
        do { try PrivilegeDerivation.check(manifest) } catch { throw error.toolhostError }

        let caller = request.caller
        let target = "\(manifest.name)@\(manifest.version)"
        var blobWasNew = false
        do {
            return try write { db in
                try Self.claimNamespace(manifest.namespace, for: caller, in: db)
                let signingKey = try Self.verifySignature(request.signature, of: archive, namespace: manifest.namespace, in: db)
                let visibility = try Self.checkVisibility(request.visibility, of: manifest.name, in: db)
                let existing = try Self.storedManifests(of: manifest.name, in: db)
                try Self.refuseExistingVersion(manifest.version, of: manifest.name, among: existing.map(\.version))
                let baseline = BreakingChanges.baseline(for: manifest.version, among: existing.map(\.version))
                do {
                    try BreakingChanges.check(manifest, previous: existing.first { $0.version == baseline })
                } catch let refusal as PublishError {
                    throw refusal.toolhostError
                }
                blobWasNew = try blobs.put(archive, sha256: digest.hex)
                let record = PublicationRecord(
                    tenant: caller.tenant, visibility: visibility, sha256: digest.hex, size: archive.count,
                    signature: request.signature, signingKey: signingKey, publisherKey: caller.keyID)
                try Self.insert(loaded, in: db, now: Date(), record: record)
                try Self.audit(in: db, tenant: caller.tenant, actor: caller.keyID, action: "package.publish", target: target,
                               detail: ["sha256": .string(digest.hex), "size": .int(archive.count), "signed": .bool(signingKey != nil)],
                               remoteAddress: request.remoteAddress)
                return PublishedVersion(
                    name: manifest.name, version: manifest.version, sha256: digest.hex, size: archive.count,
                    signed: signingKey != nil, visibility: visibility, tools: manifest.tools.map(\.name))
            }
        } catch {
            // `write` throws only ToolhostErrors; undo the blob when no committed version refers to it.
            if blobWasNew, !((try? isReferenced(sha256: digest.hex)) ?? true) { blobs.remove(sha256: digest.hex) }
            throw error
        }
    }

    /// Refuses a version that is already published, also one that differs only in build metadata:
    /// `1.0.0+build.7` has the same precedence as `1.0.0` (SemVer §10), so both would answer `1.0.0`
    /// and every range alike, and resolution could not choose (npm and crates.io refuse it too).
    /// - Throws: ``ToolhostError`` `conflict` (`version_exists`) naming the published version.
    private static func refuseExistingVersion(_ version: SemanticVersion, of name: String, among published: [SemanticVersion]) throws {
        guard let same = published.first(where: { $0.precedenceEquals(version) }) else { return }
        let message = same == version
            ? "\(name)@\(version) already exists; published versions are immutable, publish a new version"
            : "\(name)@\(version) is the published version \(name)@\(same): build metadata (+…) does not make another version "
                + "(SemVer §10); publish a new version"
        throw ToolhostError(.conflict, message, details: ["publishCode": "version_exists", "existing": .string(same.description)])
    }

    /// The namespace belongs to the tenant that first published in it.
    private static func claimNamespace(_ namespace: String, for caller: Caller, in db: Database) throws {
        if let owner = try String.fetchOne(db, sql: "SELECT tenant FROM namespace WHERE name = ?", arguments: [namespace]) {
            guard owner == caller.tenant else {
                throw ToolhostError(.forbidden, "the namespace \"\(namespace)\" belongs to another tenant",
                                    details: ["publishCode": "namespace_owned"])
            }
            return
        }
        try db.execute(sql: "INSERT INTO namespace (name, tenant, createdAt) VALUES (?, ?, ?)", arguments: [namespace, caller.tenant, Date()])
    }

    /// The visibility the version is published with: the package's stored one, or the requested one
    /// (public by default) for a new package.
    /// - Throws: ``ToolhostError`` `conflict` (`visibility_mismatch`) when the request asks for another
    ///   visibility than the stored one: it is fixed by the first publish.
    private static func checkVisibility(_ requested: Visibility?, of name: String, in db: Database) throws -> Visibility {
        guard let text = try String.fetchOne(db, sql: "SELECT visibility FROM package WHERE name = ?", arguments: [name]),
              let stored = Visibility(rawValue: text) else { return requested ?? .public }
        if let requested, requested != stored {
            throw ToolhostError(
                .conflict,
                "\(name) is \(stored.rawValue): a package's visibility is fixed by its first publish and cannot become \(requested.rawValue). "
                    + "Publish without a visibility (no --private, no ?visibility=) to add this version as \(stored.rawValue), "
                    + "or publish under a new package name for a \(requested.rawValue) package",
                details: ["publishCode": "visibility_mismatch", "visibility": .string(stored.rawValue), "requested": .string(requested.rawValue)])
        }
        return stored
    }

    /// Checks the signature against the namespace's registered keys; returns the matching key's
    /// fingerprint, or nil for a namespace without keys (unsigned uploads are then accepted).
    private static func verifySignature(_ signature: String?, of archive: Data, namespace: String, in db: Database) throws -> String? {
        let keys = try Row.fetchAll(db, sql: "SELECT publicKey, fingerprint FROM signingKey WHERE namespace = ?", arguments: [namespace])
        guard !keys.isEmpty else { return nil }
        guard let signature else {
            throw PublishError(.badSignature, "the namespace \"\(namespace)\" has signing keys: the upload must be signed").toolhostError
        }
        for row in keys {
            let key = try PackagePublicKey(base64: row["publicKey"])
            if (try? key.verify(base64Signature: signature, of: archive)) != nil { return row["fingerprint"] }
        }
        throw PublishError(.badSignature, "the signature matches none of the namespace's \(keys.count) signing key(s)").toolhostError
    }

    private static func storedManifests(of name: String, in db: Database) throws -> [PackageManifest] {
        try String.fetchAll(db, sql: """
            SELECT v.manifest FROM packageVersion v JOIN package p ON p.id = v.packageId WHERE p.name = ?
            """, arguments: [name]).map { try JSONDecoder().decode(PackageManifest.self, from: Data($0.utf8)) }
    }

    /// Whether any stored version refers to the blob.
    public func isReferenced(sha256: String) throws(ToolhostError) -> Bool {
        try read { db in try Bool.fetchOne(db, sql: "SELECT 1 FROM packageVersion WHERE sha256 = ?", arguments: [sha256]) ?? false }
    }

    /// Removes the blobs no version refers to: what a crash between writing a blob and committing
    /// its version leaves behind. Run at start-up.
    @discardableResult
    public func sweepUnreferencedBlobs(_ blobs: BlobStore) throws(ToolhostError) -> [String] {
        let referenced = try read { db in Set(try String.fetchAll(db, sql: "SELECT sha256 FROM packageVersion WHERE sha256 IS NOT NULL")) }
        return blobs.sweep(keeping: referenced)
    }

    /// Registers a publisher's Ed25519 public key for `namespace` (claiming the namespace if it is new).
    /// The namespace follows the same rule as at publish (``PackageNamespace``).
    /// - Throws: ``ToolhostError`` `forbidden` for another tenant's or a reserved namespace,
    ///   `invalid_input` for a malformed namespace or a bad key.
    public func registerSigningKey(_ base64: String, namespace: String, caller: Caller) throws(ToolhostError) -> String {
        try caller.require(.publish)
        try PackageNamespace.check(namespace)
        let key: PackagePublicKey
        do { key = try PackagePublicKey(base64: base64) } catch { throw error.toolhostError }
        return try write { db in
            try Self.claimNamespace(namespace, for: caller, in: db)
            try db.execute(
                sql: "INSERT OR IGNORE INTO signingKey (namespace, publicKey, fingerprint, addedBy, createdAt) VALUES (?, ?, ?, ?, ?)",
                arguments: [namespace, key.base64, key.fingerprint, caller.keyID, Date()])
            try Self.audit(in: db, tenant: caller.tenant, actor: caller.keyID, action: "namespace.key.add", target: namespace,
                           detail: ["fingerprint": .string(key.fingerprint)])
            return key.fingerprint
        }
    }
}
