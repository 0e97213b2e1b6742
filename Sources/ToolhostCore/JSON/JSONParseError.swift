/// Why a JSON text could not be parsed, and where.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong, e.g. "expected ',' or '}' after object member".
    public var message: String
    /// 1-based line of the offending byte.
    public var line: Int
    /// 1-based column of the offending byte, counted in Unicode scalars from the start of the line.
    public var column: Int
    /// 0-based byte offset of the offending byte in the UTF-8 input.
    public var offset: Int

    /// Creates an error at a known position.
    public init(message: String, line: Int, column: Int, offset: Int) {
        self.message = message
        self.line = line
        self.column = column
        self.offset = offset
    }

    /// "line 3, column 7: expected ':' after object key".
    public var description: String { "line \(line), column \(column): \(message)" }
}
