/// Base16 and base64 (RFC 4648) for the tools that carry bytes as text: hash_digest, encode_decode.
///
/// Foundation's base64 decoder either rejects unpadded input or, with `.ignoreUnknownCharacters`,
/// silently skips anything; these decoders say which character at which offset is wrong instead.
enum ByteTextCodec {
    /// The two base64 alphabets of RFC 4648: §4 standard (`+`, `/`) and §5 URL-safe (`-`, `_`).
    enum Base64Alphabet: Sendable {
        case standard, urlSafe

        var symbols: [UInt8] {
            let tail: String = self == .standard ? "+/" : "-_"
            return Array(("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789" + tail).utf8)
        }

        /// The alphabet's name as callers write it.
        var name: String { self == .standard ? "base64" : "base64url" }
    }

    /// Why a text is not valid in an encoding, with the code-point offset of the problem where there is one.
    struct DecodingFailure: Error, Sendable, Hashable {
        var reason: String
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Lowercase hex of `bytes`.
    static func hex<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            output.append(hexDigits[Int(byte >> 4)])
            output.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The bytes of a hex text; either case, no separators, an even number of digits.
    static func bytes(fromHex text: String) throws(DecodingFailure) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count / 2)
        var high: UInt8?
        for (offset, scalar) in text.unicodeScalars.enumerated() {
            guard let value = hexValue(scalar) else {
                throw DecodingFailure(reason: "\(describe(scalar)) at offset \(offset) is not a hex digit")
            }
            if let pending = high {
                output.append(pending << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        if high != nil {
            throw DecodingFailure(reason: "hex needs an even number of digits, got \(text.unicodeScalars.count)")
        }
        return output
    }

    /// The value of a hex digit of either case, or nil.
    static func hexValue(_ scalar: Unicode.Scalar) -> UInt8? {
        switch scalar.value {
        case 0x30...0x39: return UInt8(scalar.value - 0x30)
        case 0x41...0x46: return UInt8(scalar.value - 0x41 + 10)
        case 0x61...0x66: return UInt8(scalar.value - 0x61 + 10)
        default: return nil
        }
    }

    /// Base64 of `bytes` in `alphabet`, with `=` padding when `padded`.
    static func base64<Bytes: Collection>(_ bytes: Bytes, alphabet: Base64Alphabet = .standard, padded: Bool = true) -> String
    where Bytes.Element == UInt8 {
        let symbols = alphabet.symbols
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var iterator = bytes.makeIterator()
        while let first = iterator.next() {
            let second = iterator.next()
            let third = iterator.next()
            let group = UInt32(first) << 16 | UInt32(second ?? 0) << 8 | UInt32(third ?? 0)
            output.append(symbols[Int(group >> 18 & 0x3F)])
            output.append(symbols[Int(group >> 12 & 0x3F)])
            if second != nil { output.append(symbols[Int(group >> 6 & 0x3F)]) } else if padded { output.append(UInt8(ascii: "=")) }
            if third != nil { output.append(symbols[Int(group & 0x3F)]) } else if padded { output.append(UInt8(ascii: "=")) }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The bytes of a base64 text in `alphabet`.
    ///
    /// Characters for which `isIgnored` is true (ASCII whitespace by default) are skipped wherever
    /// they are, and the `=` padding is optional, but when present it must be complete and come only
    /// at the end. Leftover bits in the last symbol are not checked, as most decoders do not.
    static func bytes(
        fromBase64 text: String, alphabet: Base64Alphabet, ignoring isIgnored: (Unicode.Scalar) -> Bool = isASCIIWhitespace
    ) throws(DecodingFailure) -> [UInt8] {
        var values = [UInt8](repeating: 0xFF, count: 128)
        for (index, symbol) in alphabet.symbols.enumerated() { values[Int(symbol)] = UInt8(index) }
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count * 3 / 4)
        var group: UInt32 = 0
        var symbolCount = 0
        var padding = 0
        for (offset, scalar) in text.unicodeScalars.enumerated() {
            if isIgnored(scalar) { continue }
            if scalar == "=" {
                padding += 1
                continue
            }
            let value = scalar.value < 128 ? values[Int(scalar.value)] : 0xFF
            guard value != 0xFF else {
                var reason = "\(describe(scalar)) at offset \(offset) is not in the \(alphabet.name) alphabet"
                if alphabet == .urlSafe && (scalar == "+" || scalar == "/") { reason += " (this looks like standard base64)" }
                if alphabet == .standard && (scalar == "-" || scalar == "_") { reason += " (this looks like base64url)" }
                throw DecodingFailure(reason: reason)
            }
            guard padding == 0 else {
                throw DecodingFailure(reason: "\(describe(scalar)) at offset \(offset) follows `=` padding, which may only end the text")
            }
            group = group << 6 | UInt32(value)
            symbolCount += 1
            if symbolCount % 4 == 0 {
                output.append(UInt8(truncatingIfNeeded: group >> 16))
                output.append(UInt8(truncatingIfNeeded: group >> 8))
                output.append(UInt8(truncatingIfNeeded: group))
                group = 0
            }
        }
        let remainder = symbolCount % 4
        switch remainder {
        case 0: break
        case 1:
            throw DecodingFailure(reason: "\(symbolCount) \(alphabet.name) symbols cannot be decoded: the last group has a single symbol")
        case 2: output.append(UInt8(truncatingIfNeeded: group >> 4))
        default:
            output.append(UInt8(truncatingIfNeeded: group >> 10))
            output.append(UInt8(truncatingIfNeeded: group >> 2))
        }
        if padding > 0 && (remainder == 0 || remainder + padding != 4) {
            throw DecodingFailure(reason: "wrong `=` padding: \(padding) `=` after \(symbolCount) symbols (groups of 4 must be completed exactly)")
        }
        return output
    }

    /// Space, tab, line feed, vertical tab, form feed and carriage return.
    static func isASCIIWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D: return true
        default: return false
        }
    }

    /// What `\s` matches in an ECMAScript pattern (WhiteSpace and LineTerminator): the whitespace a
    /// schema `pattern` with `\s` lets through.
    static func isECMAScriptWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF: return true
        default: return false
        }
    }

    /// A character for a message: printable ASCII quoted, anything else as U+XXXX.
    static func describe(_ scalar: Unicode.Scalar) -> String {
        if scalar.value >= 0x21 && scalar.value < 0x7F { return "\"\(Character(scalar))\"" }
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
