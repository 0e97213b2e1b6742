import Foundation

/// Host names, IP addresses and e-mail addresses.
enum NetworkFormats {
    /// Dotted-quad IPv4 ("192.168.0.1"): four decimal octets, no leading zeros.
    static func isIPv4(_ string: String) -> Bool {
        let parts = string.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCIIDigit) else { return false }
            if part.count > 1 && part.first == UInt8(ascii: "0") { return false }
            guard let value = Int(String(decoding: part, as: UTF8.self)), value <= 255 else { return false }
        }
        return true
    }

    /// RFC 4291 text form: eight hex groups, at most one "::", optionally an IPv4 tail; no zone index.
    static func isIPv6(_ string: String) -> Bool {
        guard string.utf8.allSatisfy({ $0.isASCIIHexDigit || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") }) else { return false }
        let halves = string.components(separatedBy: "::")
        guard halves.count <= 2 else { return false }
        var groups = 0
        for (halfIndex, half) in halves.enumerated() {
            if half.isEmpty { continue }
            let parts = half.split(separator: ":", omittingEmptySubsequences: false)
            for (index, part) in parts.enumerated() {
                let isLast = halfIndex == halves.count - 1 && index == parts.count - 1
                if isLast && part.contains(".") {
                    guard isIPv4(String(part)) else { return false }
                    groups += 2
                } else {
                    guard (1...4).contains(part.count), !part.contains(".") else { return false }
                    groups += 1
                }
            }
        }
        return halves.count == 2 ? groups <= 7 : groups == 8
    }

    /// RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens, each at most
    /// 63 octets, 253 in all; "xn--" labels must be valid IDNA A-labels.
    static func isHostname(_ string: String) -> Bool {
        let bytes = Array(string.utf8)
        guard !bytes.isEmpty, bytes.count <= 253 else { return false }
        for label in bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            guard (1...63).contains(label.count), label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-"),
                label.allSatisfy({ $0.isASCIIDigit || $0.isASCIILetter || $0 == UInt8(ascii: "-") })
            else { return false }
            if label.count >= 4, label[label.startIndex + 2] == UInt8(ascii: "-"), label[label.startIndex + 3] == UInt8(ascii: "-") {
                // "--" in positions 3-4 is reserved for A-labels ("xn--"), which must decode to a valid U-label.
                guard IDNHostname.isValidALabel(String(decoding: label, as: UTF8.self)) else { return false }
            }
        }
        return true
    }

    /// RFC 5321 mailbox: a dot-atom or quoted local part, "@", and a host name or bracketed IP literal.
    /// - Parameter international: allow UTF-8 in the local part and an IDN domain (RFC 6531).
    static func isEmail(_ string: String, international: Bool) -> Bool {
        guard let at = localPartEnd(string) else { return false }
        let local = string[..<at]
        let domain = String(string[string.index(after: at)...])
        guard !local.isEmpty, !domain.isEmpty else { return false }
        if !local.hasPrefix("\"") {
            let atext = "!#$%&'*+-/=?^_`{|}~"
            guard !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else { return false }
            for scalar in local.unicodeScalars {
                let allowed =
                    (scalar.isASCII
                        && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || atext.unicodeScalars.contains(scalar) || scalar == "."))
                    || (international && !scalar.isASCII)
                guard allowed else { return false }
            }
        }
        if domain.hasPrefix("[") && domain.hasSuffix("]") {
            let literal = String(domain.dropFirst().dropLast())
            if literal.lowercased().hasPrefix("ipv6:") { return isIPv6(String(literal.dropFirst(5))) }
            return isIPv4(literal)
        }
        return international ? IDNHostname.isValid(domain) : isHostname(domain)
    }

    /// The index of the "@" that ends the local part, skipping a quoted local part's contents.
    private static func localPartEnd(_ string: String) -> String.Index? {
        guard string.hasPrefix("\"") else { return string.lastIndex(of: "@") }
        var index = string.index(after: string.startIndex)
        while index < string.endIndex {
            let character = string[index]
            if character == "\\" {
                index = string.index(after: index)
                guard index < string.endIndex else { return nil }
            } else if character == "\"" {
                let next = string.index(after: index)
                return next < string.endIndex && string[next] == "@" ? next : nil
            }
            index = string.index(after: index)
        }
        return nil
    }
}
