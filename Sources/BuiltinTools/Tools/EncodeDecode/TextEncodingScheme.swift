/// The encodings of encode_decode, by their names in the manifest.
enum TextEncodingScheme: String, CaseIterable, Sendable {
    case base64, base64url, hex, url

    var isBase64: Bool { self == .base64 || self == .base64url }

    /// `bytes` in this encoding; `padded` matters for base64 and base64url, `form` for url.
    func encode(_ bytes: [UInt8], padded: Bool, form: Bool) -> String {
        switch self {
        case .base64: return ByteTextCodec.base64(bytes, alphabet: .standard, padded: padded)
        case .base64url: return ByteTextCodec.base64(bytes, alphabet: .urlSafe, padded: padded)
        case .hex: return ByteTextCodec.hex(bytes)
        case .url: return PercentEncoding.encode(bytes, form: form)
        }
    }

    /// The bytes `text` stands for in this encoding.
    /// - Throws: ``ByteTextCodec/DecodingFailure`` saying what is wrong and where.
    func decode(_ text: String, form: Bool) throws(ByteTextCodec.DecodingFailure) -> [UInt8] {
        switch self {
        case .base64: return try ByteTextCodec.bytes(fromBase64: text, alphabet: .standard)
        case .base64url: return try ByteTextCodec.bytes(fromBase64: text, alphabet: .urlSafe)
        case .hex: return try ByteTextCodec.bytes(fromHex: text)
        case .url: return try PercentEncoding.decode(text, form: form)
        }
    }
}
