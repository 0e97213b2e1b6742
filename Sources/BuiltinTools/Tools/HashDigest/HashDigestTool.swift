import ToolhostCore

/// `hash_digest`: a checksum (MD5, SHA-1, SHA-2) or an HMAC of a text or of base64 data.
public struct HashDigestTool: BuiltinTool {
    public let name = "hash_digest"

    public init() {}

    /// Hashes `text` (its UTF-8 bytes) or `data` (base64) with `algorithm`, keyed by `key` for the hmac-* ones.
    /// - Throws: ``ToolFailure`` `invalid_argument` naming the field: both or neither of `text` and `data`,
    ///   `data` or `key` not decodable, `key` missing for an HMAC or given for a plain hash.
    public func run(_ input: JSONValue, in context: ToolContext) async throws(ToolFailure) -> JSONValue {
        guard let algorithmName = input["algorithm"]?.stringValue, let algorithm = DigestAlgorithm(rawValue: algorithmName) else {
            throw ToolFailure(.invalidArgument, "algorithm: expected one of \(DigestAlgorithm.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let message = try Self.message(of: input)
        let key = try Self.key(of: input, for: algorithm)
        let encoding = input["encoding"]?.stringValue ?? "hex"
        guard encoding == "hex" || encoding == "base64" else {
            throw ToolFailure(.invalidArgument, "encoding: expected \"hex\" or \"base64\", got \"\(encoding)\"")
        }
        let digest = algorithm.digest(of: message, key: key)
        return [
            "algorithm": .string(algorithm.rawValue),
            "encoding": .string(encoding),
            "digest": .string(encoding == "hex" ? ByteTextCodec.hex(digest) : ByteTextCodec.base64(digest)),
            "inputBytes": .int(message.count),
        ]
    }

    /// The bytes to hash: exactly one of `text` and `data`.
    private static func message(of input: JSONValue) throws(ToolFailure) -> [UInt8] {
        switch (input["text"], input["data"]) {
        case (.string(let text)?, nil):
            return Array(text.utf8)
        case (nil, .string(let data)?):
            do {
                // The schema's pattern lets any ECMAScript `\s` through, so all of it is skipped.
                return try ByteTextCodec.bytes(fromBase64: data, alphabet: .standard, ignoring: ByteTextCodec.isECMAScriptWhitespace)
            } catch {
                throw ToolFailure(.invalidArgument, "data: not valid base64: \(error.reason)")
            }
        case (nil, nil):
            throw ToolFailure(.invalidArgument, "give exactly one of `text` and `data`: neither is present")
        case (.some, .some):
            throw ToolFailure(.invalidArgument, "give exactly one of `text` and `data`, not both")
        default:
            throw ToolFailure(.invalidArgument, "text, data: expected a string")
        }
    }

    /// The HMAC key decoded by `keyEncoding`; nil for the plain hashes, which must not have one.
    private static func key(of input: JSONValue, for algorithm: DigestAlgorithm) throws(ToolFailure) -> [UInt8]? {
        guard algorithm.isHMAC else {
            if input["key"] != nil {
                throw ToolFailure(.invalidArgument, "key: only the hmac-* algorithms take a key; \(algorithm.rawValue) is a plain hash")
            }
            return nil
        }
        guard let key = input["key"]?.stringValue else {
            throw ToolFailure(.invalidArgument, "key: \(algorithm.rawValue) needs a key")
        }
        let keyEncoding = input["keyEncoding"]?.stringValue ?? "utf8"
        let bytes: [UInt8]
        switch keyEncoding {
        case "utf8":
            bytes = Array(key.utf8)
        case "hex", "base64":
            do throws(ByteTextCodec.DecodingFailure) {
                bytes = keyEncoding == "hex"
                    ? try ByteTextCodec.bytes(fromHex: key) : try ByteTextCodec.bytes(fromBase64: key, alphabet: .standard)
            } catch {
                throw ToolFailure(.invalidArgument, "key: not valid \(keyEncoding) (as keyEncoding says): \(error.reason)")
            }
        default:
            throw ToolFailure(.invalidArgument, "keyEncoding: expected \"utf8\", \"hex\" or \"base64\", got \"\(keyEncoding)\"")
        }
        guard !bytes.isEmpty else {
            throw ToolFailure(.invalidArgument, "key: decodes to no bytes; an HMAC key must not be empty")
        }
        return bytes
    }
}
