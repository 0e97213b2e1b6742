import Foundation

extension JSONValue {
    /// Parses a UTF-8 JSON text strictly (RFC 8259).
    ///
    /// Any value may be the top level; whitespace may surround it but nothing else may follow it.
    /// A repeated object key keeps its last value. Integers that fit in `Int` become ``int(_:)``,
    /// other numbers ``double(_:)``.
    /// - Throws: ``JSONParseError`` with the line, column and byte offset of the first problem.
    public init(parsing data: Data) throws(JSONParseError) {
        let result: Result<JSONValue, JSONParseError> = data.withUnsafeBytes { raw in
            var parser = JSONParser(bytes: raw.bindMemory(to: UInt8.self))
            return parser.parseDocument()
        }
        self = try result.get()
    }

    /// Parses a JSON text strictly (RFC 8259); see ``init(parsing:)-(Data)``.
    /// - Throws: ``JSONParseError`` with the line, column and byte offset of the first problem.
    public init(parsing text: String) throws(JSONParseError) {
        var text = text
        let result: Result<JSONValue, JSONParseError> = text.withUTF8 { bytes in
            var parser = JSONParser(bytes: bytes)
            return parser.parseDocument()
        }
        self = try result.get()
    }
}
