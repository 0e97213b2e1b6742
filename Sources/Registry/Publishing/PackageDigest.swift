import Crypto
import Foundation

/// The sha256 of a package archive: its identity in the blob store and in the catalog.
///
/// ```swift
/// let digest = PackageDigest(of: archive)
/// digest.hex           // "9f86d081…"
/// digest.description   // "sha256:9f86d081…"
/// digest.blobPath      // "sha256/9f/9f86d081…"
/// ```
public struct PackageDigest: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// 64 lowercase hex digits.
    public let hex: String

    /// Hashes `archive`.
    public init(of archive: Data) {
        hex = SHA256.hash(data: archive).map { String(format: "%02x", $0) }.joined()
    }

    /// Reads a digest as written by ``hex`` or ``description`` (`sha256:` prefix optional).
    /// - Throws: ``PublishError`` `invalid_digest` when it is not 64 hex digits.
    public init(parsing text: String) throws(PublishError) {
        let value = text.hasPrefix("sha256:") ? String(text.dropFirst("sha256:".count)) : text
        let lowered = value.lowercased()
        guard lowered.utf8.count == 64, lowered.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            throw PublishError(.invalidDigest, "\(text.debugDescription) is not a sha256 digest (64 hex digits)")
        }
        hex = lowered
    }

    /// `sha256:<hex>`, the form shown to users and stored in the catalog.
    public var description: String { "sha256:\(hex)" }

    /// Where the blob lives under the data directory's `blobs/`: `sha256/ab/abcd…`, fanned out by
    /// the first byte so that no directory holds every package.
    public var blobPath: String { "sha256/\(hex.prefix(2))/\(hex)" }

    /// Whether `archive` hashes to this digest, e.g. the one a client said it uploaded.
    public func matches(_ archive: Data) -> Bool { PackageDigest(of: archive) == self }

    /// Orders digests by their hex text, so that lists of them sort stably.
    public static func < (lhs: PackageDigest, rhs: PackageDigest) -> Bool { lhs.hex < rhs.hex }
}
