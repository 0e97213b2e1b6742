import Foundation
import ToolhostCore

/// An uploaded archive that passed the checks that need nothing stored: the `publish` scope, the
/// size cap, its sha256 (and the client's checksum), a safe unpack, the manifest and its schemas,
/// the reserved `builtin` runtime, the entrypoint, the namespace's form and the privilege
/// derivation. Every ``PublishingStore`` starts from here.
public struct PackageUpload: Sendable {
    public let request: PublishRequest
    public let digest: PackageDigest
    public let loaded: LoadedManifest

    public var manifest: PackageManifest { loaded.manifest }

    /// - Throws: ``ToolhostError`` for the first check that fails, with the ``PublishError``'s code
    ///   in `details.publishCode` where there is one.
    public init(_ request: PublishRequest, limits: PackageArchiveLimits) throws(ToolhostError) {
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
        self.request = request
        self.digest = digest
        self.loaded = loaded
    }

    /// Refuses a version that is already published, also one that differs only in build metadata:
    /// `1.0.0+build.7` has the same precedence as `1.0.0` (SemVer §10), so both would answer `1.0.0`
    /// and every range alike, and resolution could not choose (npm and crates.io refuse it too).
    /// - Throws: ``ToolhostError`` `conflict` (`version_exists`) naming the published version.
    public static func refuseExistingVersion(_ version: SemanticVersion, of name: String, among published: [SemanticVersion]) throws(ToolhostError) {
        guard let same = published.first(where: { $0.precedenceEquals(version) }) else { return }
        let message = same == version
            ? "\(name)@\(version) already exists; published versions are immutable, publish a new version"
            : "\(name)@\(version) is the published version \(name)@\(same): build metadata (+…) does not make another version "
                + "(SemVer §10); publish a new version"
        throw ToolhostError(.conflict, message, details: ["publishCode": "version_exists", "existing": .string(same.description)])
    }

    /// The visibility the version is published with: the package's stored one (nil for a new
    /// package), or the requested one (public by default) for a new package.
    /// - Throws: ``ToolhostError`` `conflict` (`visibility_mismatch`) when the request asks for another
    ///   visibility than the stored one: it is fixed by the first publish.
    public static func visibility(requested: Visibility?, stored: Visibility?, of name: String) throws(ToolhostError) -> Visibility {
        guard let stored else { return requested ?? .public }
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

    /// The namespace belongs to the tenant that first published in it.
    /// - Throws: ``ToolhostError`` `forbidden` (`namespace_owned`) when `owner` is another tenant.
    public static func checkNamespaceOwner(_ owner: String?, of namespace: String, caller: Caller) throws(ToolhostError) {
        guard let owner, owner != caller.tenant else { return }
        throw ToolhostError(.forbidden, "the namespace \"\(namespace)\" belongs to another tenant", details: ["publishCode": "namespace_owned"])
    }

    /// Checks the signature against the namespace's registered keys (public key, fingerprint);
    /// returns the matching key's fingerprint, or nil for a namespace without keys (unsigned uploads
    /// are then accepted).
    public static func verifySignature(_ signature: String?, of archive: Data, namespace: String,
                                       keys: [(publicKey: String, fingerprint: String)]) throws(ToolhostError) -> String? {
        guard !keys.isEmpty else { return nil }
        guard let signature else {
            throw PublishError(.badSignature, "the namespace \"\(namespace)\" has signing keys: the upload must be signed").toolhostError
        }
        for stored in keys {
            let key: PackagePublicKey
            do { key = try PackagePublicKey(base64: stored.publicKey) } catch { throw error.toolhostError }
            if (try? key.verify(base64Signature: signature, of: archive)) != nil { return stored.fingerprint }
        }
        throw PublishError(.badSignature, "the signature matches none of the namespace's \(keys.count) signing key(s)").toolhostError
    }
}
