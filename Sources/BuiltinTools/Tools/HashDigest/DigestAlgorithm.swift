import Crypto

/// The hash functions and HMACs of hash_digest, by their names in the manifest.
enum DigestAlgorithm: String, CaseIterable, Sendable {
    case md5, sha1, sha256, sha384, sha512
    case hmacMD5 = "hmac-md5"
    case hmacSHA1 = "hmac-sha1"
    case hmacSHA256 = "hmac-sha256"
    case hmacSHA384 = "hmac-sha384"
    case hmacSHA512 = "hmac-sha512"

    /// Whether this is an HMAC, which needs a key.
    var isHMAC: Bool { rawValue.hasPrefix("hmac-") }

    /// The digest of `message`, or its HMAC under `key` for the hmac-* algorithms.
    func digest(of message: [UInt8], key: [UInt8]?) -> [UInt8] {
        switch self {
        case .md5: return Array(Insecure.MD5.hash(data: message))
        case .sha1: return Array(Insecure.SHA1.hash(data: message))
        case .sha256: return Array(SHA256.hash(data: message))
        case .sha384: return Array(SHA384.hash(data: message))
        case .sha512: return Array(SHA512.hash(data: message))
        case .hmacMD5: return Self.hmac(Insecure.MD5.self, message, key)
        case .hmacSHA1: return Self.hmac(Insecure.SHA1.self, message, key)
        case .hmacSHA256: return Self.hmac(SHA256.self, message, key)
        case .hmacSHA384: return Self.hmac(SHA384.self, message, key)
        case .hmacSHA512: return Self.hmac(SHA512.self, message, key)
        }
    }

    private static func hmac<H: HashFunction>(_: H.Type, _ message: [UInt8], _ key: [UInt8]?) -> [UInt8] {
        let code = HMAC<H>.authenticationCode(for: message, using: SymmetricKey(data: key ?? []))
        return Array(code)
    }
}
