import Crypto
import Foundation
import ToolhostCore

/// A publisher's Ed25519 key pair, which signs package archives.
///
/// The key file is JSON, written with mode 0600:
/// ```json
/// {"algorithm": "ed25519", "privateKey": "<base64 of 32 bytes>", "publicKey": "<base64 of 32 bytes>"}
/// ```
/// ```swift
/// let key = PackageSigningKey.generate()
/// try key.save(to: keyURL)
/// let signature = try key.sign(archive)
/// try key.publicKey.verify(signature: signature, of: archive)
/// ```
public struct PackageSigningKey: Sendable {
    /// The raw 32-byte private key, known to be valid. Crypto's key types are not `Sendable` on
    /// Linux, so the bytes are what is kept and the key is rebuilt when it is used.
    private let raw: Data

    private var key: Curve25519.Signing.PrivateKey {
        // Cannot fail: `raw` came from a key or was checked by building one.
        try! Curve25519.Signing.PrivateKey(rawRepresentation: raw)
    }

    /// The algorithm name in key files.
    public static let algorithm = "ed25519"

    private init(_ key: Curve25519.Signing.PrivateKey) { raw = key.rawRepresentation }

    /// A new random key pair.
    public static func generate() -> PackageSigningKey { PackageSigningKey(Curve25519.Signing.PrivateKey()) }

    /// The public half, to register with the registry.
    public var publicKey: PackagePublicKey { PackagePublicKey(key.publicKey) }

    /// Signs the archive bytes themselves (not a digest of them), as ``PackagePublicKey/verify(signature:of:)`` checks.
    /// - Returns: the 64-byte Ed25519 signature; send it base64-encoded.
    /// - Throws: ``PublishError`` `invalid_key` if the signing primitive fails, which a valid key does not.
    public func sign(_ archive: Data) throws(PublishError) -> Data {
        do {
            return try key.signature(for: archive)
        } catch {
            throw PublishError(.invalidKey, "cannot sign with this key: \(error)")
        }
    }

    /// Reads a key pair from key-file JSON.
    /// - Throws: ``PublishError`` `invalid_key` when the JSON is malformed, the algorithm is not
    ///   ed25519, a key is not base64 of 32 bytes, or the public key is not the private key's.
    public init(keyFile data: Data) throws(PublishError) {
        let document: JSONValue
        do {
            document = try JSONValue(parsing: data)
        } catch {
            throw PublishError(.invalidKey, "the key file is not JSON (line \(error.line), column \(error.column): \(error.message))")
        }
        guard document.objectValue != nil else { throw PublishError(.invalidKey, "the key file is not a JSON object") }
        guard document["algorithm"]?.stringValue == Self.algorithm else {
            let found = document["algorithm"].map { $0.description } ?? "nothing"
            throw PublishError(.invalidKey, "the key file's algorithm is \(found); only \"ed25519\" is supported")
        }
        let raw = try Self.rawKey(document, "privateKey")
        let key: Curve25519.Signing.PrivateKey
        do {
            key = try Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        } catch {
            throw PublishError(.invalidKey, "privateKey is not a valid Ed25519 key: \(error)")
        }
        // The file states both halves so that a reader can show the public one without the
        // private one; a mismatch means the file was edited or assembled by hand, and signing with
        // it would produce signatures the registered key rejects.
        let stated = try Self.rawKey(document, "publicKey")
        guard stated == key.publicKey.rawRepresentation else {
            throw PublishError(.invalidKey, "the key file's publicKey is not the public half of its privateKey")
        }
        self.raw = raw
    }

    /// The key-file JSON of this key pair.
    public var keyFile: Data {
        let document: JSONValue = [
            "algorithm": .string(Self.algorithm),
            "privateKey": .string(key.rawRepresentation.base64EncodedString()),
            "publicKey": .string(key.publicKey.rawRepresentation.base64EncodedString()),
        ]
        return Data((document.serialized(pretty: true) + "\n").utf8)
    }

    /// Reads a key file, refusing one that others can read (as ssh does), since such a key may
    /// already be someone else's too.
    /// - Throws: ``PublishError`` `invalid_key` naming the file when it cannot be read, is malformed,
    ///   or is readable or writable by group or others.
    public static func load(from url: URL) throws(PublishError) -> PackageSigningKey {
        let data = try KeyFileStorage.read(url)
        if let permissions = KeyFileStorage.permissions(of: url), permissions & 0o077 != 0 {
            throw PublishError(
                .invalidKey, "\(url.path) has mode \(String(permissions, radix: 8)), so others can read the private key; run chmod 600 on it")
        }
        do {
            return try PackageSigningKey(keyFile: data)
        } catch {
            throw PublishError(.invalidKey, "\(url.path): \(error.message)")
        }
    }

    /// Writes the key file with mode 0600 (created so from the start, then renamed into place).
    /// - Throws: ``PublishError`` `io_error` naming the file, also when it exists and `overwrite` is false.
    public func save(to url: URL, overwrite: Bool = false) throws(PublishError) {
        try KeyFileStorage.write(keyFile, to: url, mode: 0o600, overwrite: overwrite)
    }

    private static func rawKey(_ document: JSONValue, _ field: String) throws(PublishError) -> Data {
        guard let text = document[field]?.stringValue else {
            throw PublishError(.invalidKey, "the key file has no \(field) string")
        }
        guard let raw = Data(base64Encoded: text) else { throw PublishError(.invalidKey, "\(field) is not base64") }
        guard raw.count == 32 else {
            throw PublishError(.invalidKey, "\(field) is \(raw.count) bytes; an Ed25519 key is 32")
        }
        return raw
    }
}
