import Foundation

/// Turning a response body into text: its media type, its charset, and the decoding.
enum WebTextDecoding {
    /// How web_fetch treats a body.
    enum Kind: Equatable {
        case html
        case text
        case binary
    }

    /// `text/html` from `Text/HTML; charset=UTF-8`; nil when there is no header.
    static func mediaType(_ contentType: String?) -> String? {
        guard let contentType else { return nil }
        let type = contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        return type?.isEmpty == false ? type : nil
    }

    /// The `charset` parameter of a Content-Type, lower case, without quotes.
    static func charset(ofContentType contentType: String?) -> String? {
        guard let contentType else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "charset" else { continue }
            let value = pair[1].trimmingCharacters(in: CharacterSet.whitespaces.union(CharacterSet(charactersIn: "\"'"))).lowercased()
            return value.isEmpty ? nil : value
        }
        return nil
    }

    /// The kind of body a media type announces; without one, the bytes decide (a NUL byte means
    /// binary, a leading `<!doctype html` or `<html` means HTML).
    static func kind(mediaType: String?, body: Data) -> Kind {
        guard let mediaType else {
            if body.contains(0) { return .binary }
            let start = String(decoding: body.prefix(512), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            return start.hasPrefix("<!doctype html") || start.hasPrefix("<html") ? .html : .text
        }
        if mediaType == "text/html" || mediaType == "application/xhtml+xml" { return .html }
        if mediaType.hasPrefix("text/") || mediaType.hasSuffix("+json") || mediaType.hasSuffix("+xml") || textApplicationTypes.contains(mediaType) {
            return .text
        }
        return .binary
    }

    /// `application/…` types that are text.
    static let textApplicationTypes: Set<String> = [
        "application/json", "application/xml", "application/javascript", "application/ecmascript",
        "application/x-javascript", "application/x-ndjson", "application/ndjson", "application/yaml",
        "application/x-yaml", "application/toml", "application/csv", "application/sql", "application/graphql",
        "application/x-www-form-urlencoded", "application/x-sh", "application/x-tex",
    ]

    /// The charset a `<meta charset>` or `<meta http-equiv="Content-Type" content="…; charset=…">`
    /// near the start of an HTML document declares (the first 4 KiB, read as ASCII).
    static func metaCharset(in body: Data) -> String? {
        let head = String(decoding: body.prefix(4096).map { $0 < 0x80 ? $0 : 0x20 }, as: UTF8.self).lowercased()
        var searchStart = head.startIndex
        while let meta = head.range(of: "<meta", range: searchStart..<head.endIndex) {
            let tagEnd = head[meta.upperBound...].firstIndex(of: ">") ?? head.endIndex
            let tag = head[meta.upperBound..<tagEnd]
            if let found = tag.range(of: "charset") {
                var rest = tag[found.upperBound...].drop { $0 == " " }
                if rest.first == "=" {
                    rest = rest.dropFirst().drop { $0 == " " || $0 == "\"" || $0 == "'" }
                    let name = rest.prefix { $0.isLetter || $0.isNumber || "-_:.".contains($0) }
                    if !name.isEmpty { return String(name) }
                }
            }
            searchStart = tagEnd
        }
        return nil
    }

    /// Decodes `body` from `charset` (a byte-order mark wins); unknown charsets are read as UTF-8.
    /// Bytes that are invalid in the charset become U+FFFD.
    static func decode(_ body: Data, charset: String?) -> String {
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { return String(decoding: body.dropFirst(3), as: UTF8.self) }
        if body.starts(with: [0xFF, 0xFE]) { return utf16(body.dropFirst(2), bigEndian: false) }
        if body.starts(with: [0xFE, 0xFF]) { return utf16(body.dropFirst(2), bigEndian: true) }
        switch charset ?? "utf-8" {
        case "utf-8", "utf8", "unicode-1-1-utf-8":
            return String(decoding: body, as: UTF8.self)
        // The WHATWG Encoding standard reads all of these as windows-1252, as browsers do.
        case "us-ascii", "ascii", "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "l1", "windows-1252", "cp1252", "x-cp1252":
            return windows1252(body)
        case "utf-16le", "utf-16":
            return utf16(body, bigEndian: false)
        case "utf-16be":
            return utf16(body, bigEndian: true)
        case let other:
            if let encoding = foundationEncodings[other], let text = String(data: body, encoding: encoding) { return text }
            return String(decoding: body, as: UTF8.self)
        }
    }

    /// Other charsets Foundation decodes (strictly: invalid bytes fall back to UTF-8).
    private static let foundationEncodings: [String: String.Encoding] = [
        "iso-8859-2": .isoLatin2, "latin2": .isoLatin2, "windows-1250": .windowsCP1250, "windows-1251": .windowsCP1251,
        "windows-1253": .windowsCP1253, "windows-1254": .windowsCP1254, "shift_jis": .shiftJIS, "sjis": .shiftJIS,
        "euc-jp": .japaneseEUC, "iso-2022-jp": .iso2022JP,
    ]

    private static func windows1252(_ body: Data) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in body {
            if (0x80...0x9F).contains(byte), let mapped = HTMLText.windows1252High[Int(byte - 0x80)] {
                scalars.append(mapped)
            } else {
                scalars.append(Unicode.Scalar(byte))
            }
        }
        return String(scalars)
    }

    private static func utf16(_ body: Data, bigEndian: Bool) -> String {
        var units: [UInt16] = []
        units.reserveCapacity(body.count / 2)
        var iterator = body.makeIterator()
        while let first = iterator.next() {
            // An odd last byte is an incomplete unit: it decodes as U+FFFD.
            guard let second = iterator.next() else { units.append(0xD800); break }
            units.append(bigEndian ? UInt16(first) << 8 | UInt16(second) : UInt16(second) << 8 | UInt16(first))
        }
        return String(decoding: units, as: UTF16.self)
    }

    /// `body` without a UTF-8 sequence that a byte cap cut short at its end.
    static func droppingCutUTF8Sequence(_ body: Data) -> Data {
        var index = body.endIndex
        var continuation = 0
        while index > body.startIndex && continuation < 3 {
            let byte = body[body.index(before: index)]
            if byte & 0xC0 == 0x80 {
                continuation += 1
                index = body.index(before: index)
                continue
            }
            let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            return length > continuation + 1 ? body[..<body.index(before: index)] : body
        }
        return body
    }
}
