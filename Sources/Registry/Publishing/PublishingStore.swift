import Foundation
import ToolhostCore

/// Publishing: new versions from uploaded archives, yanks and deprecations, namespaces' signing
/// keys, and the archives themselves. Every change is recorded in the audit log with it.
///
/// The checks that need nothing stored (size, checksum, safe unpack, manifest, privilege) are
/// ``PackageUpload``'s, the same for every store; a store adds those that read what is published
/// (namespace owner, signature, visibility, existing versions, breaking changes) inside its transaction.
public protocol PublishingStore: Sendable {
    /// Publishes a version: every check passes and the archive, the catalog rows and the audit
    /// event are stored, or nothing is.
    /// - Throws: ``ToolhostError`` with the code and status of the first failing step; a
    ///   ``PublishError``'s own code is kept in `details.publishCode`.
    func publish(_ request: PublishRequest, limits: PackageArchiveLimits) async throws(ToolhostError) -> PublishedVersion

    /// Yanks or restores a version: a yanked version is hidden from ranges and searches, but an exact pin still resolves.
    /// - Throws: ``ToolhostError`` `not_found`, or `forbidden` for a package the caller's tenant does not own.
    func setYanked(_ yanked: Bool, name: String, version: SemanticVersion, reason: String?, caller: Caller) async throws(ToolhostError)

    /// Marks a version deprecated with a message (nil removes the mark).
    /// - Throws: ``ToolhostError`` `not_found`, or `forbidden` for a package the caller's tenant does not own.
    func deprecate(name: String, version: SemanticVersion, message: String?, caller: Caller) async throws(ToolhostError)

    /// Registers a publisher's Ed25519 public key for `namespace` (claiming the namespace if it is
    /// new) and returns its fingerprint. The namespace follows the same rule as at publish (``PackageNamespace``).
    /// - Throws: ``ToolhostError`` `forbidden` for another tenant's or a reserved namespace,
    ///   `invalid_input` for a malformed namespace or a bad key.
    func registerSigningKey(_ base64: String, namespace: String, caller: Caller) async throws(ToolhostError) -> String

    /// The archive of a published version, by its sha256; nil when it is not stored.
    func archive(sha256: String) async -> Data?

    /// Removes the archives no version refers to: what a crash between storing an archive and
    /// committing its version leaves behind. Run at start-up; returns what was removed.
    @discardableResult
    func sweepUnreferencedArchives() async throws(ToolhostError) -> [String]
}

extension PublishingStore {
    /// Publishes with the default archive limits.
    public func publish(_ request: PublishRequest) async throws(ToolhostError) -> PublishedVersion {
        try await publish(request, limits: PackageArchiveLimits())
    }
}

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
