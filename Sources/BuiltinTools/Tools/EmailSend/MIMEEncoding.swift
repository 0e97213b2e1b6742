import Foundation

/// The encodings a message needs to travel as 7-bit text: RFC 2047 encoded words for headers,
/// RFC 2231 parameters for file names, quoted-printable and base64 for bodies.
enum MIMEEncoding {
    /// A header line `Name: value`, folded at spaces to keep lines short; non-ASCII text, text
    /// that looks like an encoded word, and words too long to fold become RFC 2047 encoded words.
    static func unstructuredHeader(_ name: String, _ value: String) -> String {
        let words = value.split(separator: " ", omittingEmptySubsequences: false)
        let plain = value.unicodeScalars.allSatisfy { (0x20...0x7E).contains($0.value) } && !value.contains("=?")
            && words.allSatisfy { $0.count <= 900 }
        guard plain else { return "\(name): " + encodedWords(value) }
        return fold("\(name):", words.map(String.init))
    }

    /// `=?UTF-8?B?…?=` words of 64 characters at most (39 bytes of UTF-8, so that a header's first
    /// line stays within 78), separated by folding white space; a character is never split.
    static func encodedWords(_ text: String) -> String {
        var words: [String] = []
        var chunk: [UInt8] = []
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > 39 {
                words.append(encodedWord(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append(encodedWord(chunk)) }
        return words.joined(separator: "\r\n ")
    }

    private static func encodedWord(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?\(Data(bytes).base64EncodedString())?="
    }

    /// A mailbox: `address`, `"Name" <address>`, or an encoded name for non-ASCII names.
    static func mailbox(_ address: String, name: String?) -> String {
        guard let name, !name.isEmpty else { return address }
        if name.unicodeScalars.allSatisfy({ (0x20...0x7E).contains($0.value) }) && !name.contains("=?") {
            let escaped = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return "\"\(escaped)\" <\(address)>"
        }
        return "\(encodedWords(name)) <\(address)>"
    }

    /// `Name: a, b, c`, folded after commas.
    static func addressHeader(_ name: String, _ addresses: [String]) -> String {
        fold("\(name):", addresses.enumerated().map { $0.offset < addresses.count - 1 ? $0.element + "," : $0.element })
    }

    /// Joins `words` after `start` with spaces, starting a continuation line (CRLF and a space)
    /// where a line would pass 78 characters.
    static func fold(_ start: String, _ words: [String]) -> String {
        var result = start
        var lineLength = start.count
        for word in words {
            if lineLength + 1 + word.count > 78 && lineLength > 1 {
                result += "\r\n " + word
                lineLength = 1 + word.count
            } else {
                result += " " + word
                lineLength += 1 + word.count
            }
        }
        return result
    }

    /// `; key="value"` for ASCII values, else RFC 2231 `; key*=UTF-8''…` (split into numbered
    /// continuations when long), each on its own folded line.
    static func parameter(_ key: String, _ value: String) -> String {
        if value.unicodeScalars.allSatisfy({ (0x20...0x7E).contains($0.value) }) {
            let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return ";\r\n \(key)=\"\(escaped)\""
        }
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&+-.^_`|~".utf8)
        let pieces = value.utf8.map { allowed.contains($0) ? String(UnicodeScalar($0)) : String(format: "%%%02X", $0) }
        let encoded = pieces.joined()
        guard encoded.count > 50 else { return ";\r\n \(key)*=UTF-8''\(encoded)" }
        var sections: [String] = []
        var current = ""
        for piece in pieces {
            if current.count + piece.count > 50 {
                sections.append(current)
                current = ""
            }
            current += piece
        }
        sections.append(current)
        return sections.enumerated().map { index, section in
            ";\r\n \(key)*\(index)*=\(index == 0 ? "UTF-8''" : "")\(section)"
        }.joined()
    }

    /// Quoted-printable (RFC 2045) of `text` as UTF-8, with CRLF line breaks and lines of at most
    /// 76 characters. Trailing white space and a line-leading `From ` are encoded, as mail
    /// transports mangle them.
    static func quotedPrintable(_ text: String) -> String {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        return normalized.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            var encoded: [String] = []
            let bytes = Array(line.utf8)
            for (index, byte) in bytes.enumerated() {
                let isLast = index == bytes.count - 1
                let literal = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || ((byte == 0x20 || byte == 0x09) && !isLast)
                let fromAtStart = index == 0 && byte == UInt8(ascii: "F") && line.hasPrefix("From ")
                encoded.append(literal && !fromAtStart ? String(UnicodeScalar(byte)) : String(format: "=%02X", byte))
            }
            var output = ""
            var length = 0
            for token in encoded {
                if length + token.count > 75 {
                    output += "=\r\n"
                    length = 0
                }
                output += token
                length += token.count
            }
            return output
        }.joined(separator: "\r\n")
    }

    /// Base64 in lines of 76 characters with CRLF.
    static func base64Lines(_ data: Data) -> String {
        data.base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
    }
}
