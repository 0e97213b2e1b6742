/// The `format` values this validator can assert; unknown formats are always accepted, as the specification requires.
enum SchemaFormat: String, Sendable {
    case dateTime = "date-time"
    case date
    case time
    case duration
    case email
    case idnEmail = "idn-email"
    case hostname
    case idnHostname = "idn-hostname"
    case ipv4
    case ipv6
    case uri
    case uriReference = "uri-reference"
    case iri
    case iriReference = "iri-reference"
    case uriTemplate = "uri-template"
    case uuid
    case jsonPointer = "json-pointer"
    case relativeJSONPointer = "relative-json-pointer"
    case regex

    /// Whether `string` is well-formed for this format.
    func isValid(_ string: String) -> Bool {
        switch self {
        case .dateTime: return DateFormats.isDateTime(string)
        case .date: return DateFormats.isDate(string)
        case .time: return DateFormats.isTime(string)
        case .duration: return DateFormats.isDuration(string)
        case .email: return NetworkFormats.isEmail(string, international: false)
        case .idnEmail: return NetworkFormats.isEmail(string, international: true)
        case .hostname: return NetworkFormats.isHostname(string)
        case .idnHostname: return IDNHostname.isValid(string)
        case .ipv4: return NetworkFormats.isIPv4(string)
        case .ipv6: return NetworkFormats.isIPv6(string)
        case .uri: return URIFormats.isURI(string, requireScheme: true, international: false)
        case .uriReference: return URIFormats.isURI(string, requireScheme: false, international: false)
        case .iri: return URIFormats.isURI(string, requireScheme: true, international: true)
        case .iriReference: return URIFormats.isURI(string, requireScheme: false, international: true)
        case .uriTemplate: return URIFormats.isURITemplate(string)
        case .uuid: return Self.isUUID(string)
        case .jsonPointer: return (try? JSONPointer(parsing: string)) != nil
        case .relativeJSONPointer: return Self.isRelativeJSONPointer(string)
        case .regex: return ECMARegex.isValidECMAScript(string)
        }
    }

    private static func isUUID(_ string: String) -> Bool {
        let bytes = Array(string.utf8)
        guard bytes.count == 36 else { return false }
        for (index, byte) in bytes.enumerated() {
            if [8, 13, 18, 23].contains(index) {
                guard byte == UInt8(ascii: "-") else { return false }
            } else if !byte.isASCIIHexDigit {
                return false
            }
        }
        return true
    }

    /// A non-negative integer without leading zeros, then either "#" or a JSON pointer.
    private static func isRelativeJSONPointer(_ string: String) -> Bool {
        let bytes = Array(string.utf8)
        var index = 0
        while index < bytes.count, bytes[index].isASCIIDigit { index += 1 }
        guard index > 0, !(bytes[0] == UInt8(ascii: "0") && index > 1) else { return false }
        let rest = String(decoding: bytes[index...], as: UTF8.self)
        return rest == "#" || (try? JSONPointer(parsing: rest)) != nil
    }
}

extension UInt8 {
    /// "0"…"9".
    var isASCIIDigit: Bool { self >= 0x30 && self <= 0x39 }
    var isASCIIHexDigit: Bool { isASCIIDigit || (self >= 0x41 && self <= 0x46) || (self >= 0x61 && self <= 0x66) }
    var isASCIILetter: Bool { (self >= 0x41 && self <= 0x5A) || (self >= 0x61 && self <= 0x7A) }
}
