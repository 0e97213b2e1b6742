/// RFC 3986 URIs, RFC 3987 IRIs and RFC 6570 URI templates, checked for syntax only.
enum URIFormats {
    private static let unreserved = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~".unicodeScalars)
    private static let subDelimiters = Set("!$&'()*+,;=".unicodeScalars)

    /// Whether `string` is a URI (or, without `requireScheme`, a URI reference); `international` admits IRI characters.
    static func isURI(_ string: String, requireScheme: Bool, international: Bool) -> Bool {
        let reference = URIReference(string)
        if requireScheme && reference.scheme == nil { return false }
        // URIReference only recognises a well-formed scheme; a colon before any "/" otherwise means a malformed one.
        if reference.scheme == nil, let firstSegment = reference.path.split(separator: "/", omittingEmptySubsequences: false).first,
            reference.authority == nil, firstSegment.contains(":")
        {
            return false
        }
        if let authority = reference.authority, !isAuthority(authority, international: international) { return false }
        if reference.authority == nil && reference.path.hasPrefix("//") { return false }
        let extra: Set<Unicode.Scalar> = [":", "@", "/"]
        guard isComponent(reference.path, allowing: extra, international: international) else { return false }
        if let query = reference.query, !isComponent(query, allowing: extra.union(["?"]), international: international) { return false }
        if let fragment = reference.fragment, !isComponent(fragment, allowing: extra.union(["?"]), international: international) {
            return false
        }
        return true
    }

    /// Whether every character is unreserved, a sub-delimiter, one of `allowing`, or a %XX escape.
    private static func isComponent(_ text: String, allowing extra: Set<Unicode.Scalar>, international: Bool) -> Bool {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "%" {
                guard index + 2 < scalars.count, scalars[index + 1].isASCIIHexDigit, scalars[index + 2].isASCIIHexDigit else { return false }
                index += 3
                continue
            }
            let ok =
                unreserved.contains(scalar) || subDelimiters.contains(scalar) || extra.contains(scalar)
                || (international && isIRIChar(scalar))
            guard ok else { return false }
            index += 1
        }
        return true
    }

    /// RFC 3987 ucschar: non-ASCII outside the private-use and non-character ranges it excludes.
    private static func isIRIChar(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        guard value >= 0xA0 else { return false }
        if (0xD800...0xF8FF).contains(value) || (0xFDD0...0xFDEF).contains(value) { return false }
        return (value & 0xFFFE) != 0xFFFE
    }

    /// `[userinfo "@"] host [":" port]`, where host may be a bracketed IPv6 literal.
    private static func isAuthority(_ authority: String, international: Bool) -> Bool {
        var hostAndPort = Substring(authority)
        if let at = authority.lastIndex(of: "@") {
            guard isComponent(String(authority[..<at]), allowing: [":"], international: international) else { return false }
            hostAndPort = authority[authority.index(after: at)...]
        }
        var host = hostAndPort
        if hostAndPort.hasPrefix("[") {
            guard let close = hostAndPort.firstIndex(of: "]") else { return false }
            let literal = String(hostAndPort[hostAndPort.index(after: hostAndPort.startIndex)..<close])
            guard NetworkFormats.isIPv6(literal) || literal.hasPrefix("v") || literal.hasPrefix("V") else { return false }
            let rest = hostAndPort[hostAndPort.index(after: close)...]
            guard rest.isEmpty || rest.hasPrefix(":") else { return false }
            return rest.dropFirst().allSatisfy(\.isASCIIDigitCharacter)
        }
        if let colon = hostAndPort.lastIndex(of: ":") {
            guard hostAndPort[hostAndPort.index(after: colon)...].allSatisfy(\.isASCIIDigitCharacter) else { return false }
            host = hostAndPort[..<colon]
        }
        return isComponent(String(host), allowing: [], international: international)
    }

    /// RFC 6570 level 4 syntax: literals, and `{op varname[:len|*], …}` expressions.
    static func isURITemplate(_ string: String) -> Bool {
        let forbidden = Set("\"<>\\^`|} \u{7F}".unicodeScalars)
        let operators = Set("+#./;?&=,!@|".unicodeScalars)
        var scalars = Array(string.unicodeScalars)[...]
        while let scalar = scalars.first {
            scalars = scalars.dropFirst()
            if scalar == "{" {
                guard let close = scalars.firstIndex(of: "}") else { return false }
                var expression = scalars[..<close]
                scalars = scalars[(close + 1)...]
                if let first = expression.first, operators.contains(first) { expression = expression.dropFirst() }
                for variable in expression.split(separator: ",", omittingEmptySubsequences: false) {
                    guard isVariableSpecification(variable) else { return false }
                }
            } else if forbidden.contains(scalar) || scalar.value < 0x20 {
                return false
            }
        }
        return true
    }

    private static func isVariableSpecification(_ specification: ArraySlice<Unicode.Scalar>) -> Bool {
        var name = specification
        if name.last == "*" {
            name = name.dropLast()
        } else if let colon = name.firstIndex(of: ":") {
            let length = name[(colon + 1)...]
            guard (1...4).contains(length.count), length.first != "0", length.allSatisfy({ ("0"..."9").contains($0) }) else { return false }
            name = name[..<colon]
        }
        guard !name.isEmpty, name.first != ".", name.last != ".", !String(String.UnicodeScalarView(name)).contains("..") else { return false }
        return name.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "." || $0 == "%") }
    }
}

extension Unicode.Scalar {
    var isASCIIHexDigit: Bool { isASCII && UInt8(value).isASCIIHexDigit }
}

extension Character {
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}
