import Crypto
import Foundation

/// A publisher's Ed25519 public key: what the registry keeps to check the signatures of uploads.
///
/// Its file form is the 32-byte raw key in base64 on one line (a trailing newline is allowed), the
/// same text the registry stores and an API accepts.
public struct PackagePublicKey: Sendable, Hashable, CustomStringConvertible {
    /// The raw 32 bytes, known to be a valid key. Crypto's key types are not `Sendable` on Linux, so
    /// the bytes are what is kept and the key is rebuilt for each verification.
    let raw: Data

    init(_ key: Curve25519.Signing.PublicKey) { raw = key.rawRepresentation }

    /// Reads a key from its base64 text.
    /// - Throws: ``PublishError`` `invalid_key` when the text is not base64 of 32 bytes of an Ed25519 key.
    public init(base64 text: String) throws(PublishError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let raw = Data(base64Encoded: trimmed) else {
            throw PublishError(.invalidKey, "the public key is not base64")
        }
        guard raw.count == 32 else {
            throw PublishError(.invalidKey, "the public key is \(raw.count) bytes; an Ed25519 public key is 32")
        }
        do {
            _ = try Curve25519.Signing.PublicKey(rawRepresentation: raw)
        } catch {
            throw PublishError(.invalidKey, "the public key is not a valid Ed25519 key: \(error)")
        }
        self.raw = raw
    }

    /// The raw 32-byte key in base64.
    public var base64: String { raw.base64EncodedString() }

    /// The sha256 of the raw key in hex: a short name for the key in logs and audit events.
    public var fingerprint: String { PackageDigest(of: raw).hex }

    /// `ed25519:<base64>`, for logs.
    public var description: String { "ed25519:\(base64)" }

    /// Checks that `signature` (64 raw bytes) is this key's signature of `archive`.
    /// - Throws: ``PublishError`` `bad_signature` when it is not, naming the key's fingerprint.
    public func verify(signature: Data, of archive: Data) throws(PublishError) {
        guard signature.count == 64 else {
            throw PublishError(.badSignature, "the signature is \(signature.count) bytes; an Ed25519 signature is 64")
        }
        let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
        guard let key, key.isValidSignature(signature, for: archive) else {
            throw PublishError(
                .badSignature,
                "the signature does not match the archive and the publisher's key \(fingerprint.prefix(16)); "
                    + "the archive was changed after signing or signed with another key")
        }
    }

    /// Checks a signature given in base64, as it arrives in a request.
    /// - Throws: ``PublishError`` `bad_signature` when it is not base64 or does not verify.
    public func verify(base64Signature: String, of archive: Data) throws(PublishError) {
        guard let signature = Data(base64Encoded: base64Signature.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw PublishError(.badSignature, "the signature is not base64")
        }
        try verify(signature: signature, of: archive)
    }

    /// Reads a public key file.
    /// - Throws: ``PublishError`` `invalid_key` naming the file when it cannot be read or is malformed.
    public static func load(from url: URL) throws(PublishError) -> PackagePublicKey {
        let data = try KeyFileStorage.read(url)
        do {
            return try PackagePublicKey(base64: String(decoding: data, as: UTF8.self))
        } catch {
            throw PublishError(.invalidKey, "\(url.path): \(error.message)")
        }
    }

    /// Writes the key to `url` (mode 0644: a public key is no secret).
    /// - Throws: ``PublishError`` `io_error` naming the file, also when it exists and `overwrite` is false.
    public func save(to url: URL, overwrite: Bool = false) throws(PublishError) {
        try KeyFileStorage.write(Data((base64 + "\n").utf8), to: url, mode: 0o644, overwrite: overwrite)
    }
}
