/// URL percent-encoding (RFC 3986 §2.1), optionally in the application/x-www-form-urlencoded style.
enum PercentEncoding {
    private static let upperHex = Array("0123456789ABCDEF".utf8)

    /// Whether `byte` is an RFC 3986 unreserved character: `A–Z a–z 0–9 - . _ ~`.
    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// Every byte but the unreserved ones as `%XX` (uppercase); with `form`, a space as `+`.
    static func encode(_ bytes: [UInt8], form: Bool) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count * 3)
        for byte in bytes {
            if isUnreserved(byte) {
                output.append(byte)
            } else if form && byte == UInt8(ascii: " ") {
                output.append(UInt8(ascii: "+"))
            } else {
                output.append(UInt8(ascii: "%"))
                output.append(upperHex[Int(byte >> 4)])
                output.append(upperHex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The bytes of `text` with every `%XX` (either case) decoded and, with `form`, `+` as a space;
    /// other characters stand for their own UTF-8 bytes.
    /// - Throws: ``ByteTextCodec/DecodingFailure`` for a `%` not followed by two hex digits.
    static func decode(_ text: String, form: Bool) throws(ByteTextCodec.DecodingFailure) -> [UInt8] {
        let scalars = Array(text.unicodeScalars)
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "%" {
                guard index + 2 < scalars.count,
                    let high = ByteTextCodec.hexValue(scalars[index + 1]),
                    let low = ByteTextCodec.hexValue(scalars[index + 2])
                else {
                    let found = scalars[(index + 1)..<min(index + 3, scalars.count)].map { String(Character($0)) }.joined()
                    throw ByteTextCodec.DecodingFailure(
                        reason: "\"%\" at offset \(index) must be followed by two hex digits, found \"\(found)\"")
                }
                output.append(high << 4 | low)
                index += 3
                continue
            }
            if form && scalar == "+" {
                output.append(UInt8(ascii: " "))
            } else {
                UTF8.encode(scalar) { output.append($0) }
            }
            index += 1
        }
        return output
    }
}
