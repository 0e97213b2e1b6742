import Foundation

/// A JSON Pointer (RFC 6901): a path of reference tokens into a JSON document.
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible {
    /// The unescaped reference tokens, outermost first; empty for the whole document.
    public var tokens: [String]

    /// Creates a pointer from unescaped tokens.
    public init(_ tokens: [String]) {
        self.tokens = tokens
    }

    /// Parses the string form: "" for the whole document, otherwise "/"-separated tokens with `~0` for "~" and `~1` for "/".
    /// - Throws: ``JSONPointerError`` when the text does not start with "/" or has a "~" not followed by 0 or 1.
    public init(parsing text: String) throws {
        guard !text.isEmpty else {
            self.tokens = []
            return
        }
        guard text.hasPrefix("/") else {
            throw JSONPointerError(code: "missing_leading_slash", message: "JSON pointer \"\(text)\" must be empty or start with \"/\"")
        }
        var tokens: [String] = []
        for raw in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            guard let token = Self.unescape(raw) else {
                throw JSONPointerError(code: "invalid_escape", message: "JSON pointer \"\(text)\" has a \"~\" not followed by 0 or 1")
            }
            tokens.append(token)
        }
        self.tokens = tokens
    }

    /// A pointer one level deeper.
    public func appending(_ token: String) -> JSONPointer {
        JSONPointer(tokens + [token])
    }

    /// The string form: "" for the root, otherwise e.g. "/a/b~1c".
    public var description: String {
        var result = ""
        for token in tokens {
            result.append("/")
            result.append(Self.escape(token))
        }
        return result
    }

    /// The value this pointer designates in `document`, or nil when a step does not exist.
    ///
    /// Array steps must be canonical decimal indices ("0", "12"; not "01" or "-").
    public func resolve(in document: JSONValue) -> JSONValue? {
        var current = document
        for token in tokens {
            switch current {
            case .object(let members):
                guard let next = members[token] else { return nil }
                current = next
            case .array(let elements):
                guard let index = Self.arrayIndex(token), index < elements.count else { return nil }
                current = elements[index]
            default:
                return nil
            }
        }
        return current
    }

    /// Escapes one token for the string form.
    static func escape(_ token: String) -> String {
        guard token.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return token }
        return token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    static func unescape(_ raw: Substring) -> String? {
        guard raw.contains("~") else { return String(raw) }
        var result = ""
        var iterator = raw.makeIterator()
        while let character = iterator.next() {
            guard character == "~" else {
                result.append(character)
                continue
            }
            switch iterator.next() {
            case "0": result.append("~")
            case "1": result.append("/")
            default: return nil
            }
        }
        return result
    }

    static func arrayIndex(_ token: String) -> Int? {
        guard let first = token.utf8.first, token.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        if first == UInt8(ascii: "0") && token.utf8.count > 1 { return nil }
        return Int(token)
    }
}

/// Why a JSON Pointer string could not be parsed.
public struct JSONPointerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable identifier: "missing_leading_slash" or "invalid_escape".
    public var code: String
    /// A sentence naming the pointer and the problem.
    public var message: String

    /// The message.
    public var description: String { message }
}
