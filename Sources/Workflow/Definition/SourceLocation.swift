/// Where something is in a definition: its JSON pointer, and for YAML its line and column.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// The JSON pointer of the value (`/nodes/2/input`; empty for the whole document).
    public var pointer: String
    /// 1-based line and column in a YAML source.
    public var line: Int?
    public var column: Int?

    public init(pointer: String, line: Int? = nil, column: Int? = nil) {
        self.pointer = pointer
        self.line = line
        self.column = column
    }

    /// `line 14, column 7 (/nodes/2/input)`, or the pointer alone for JSON.
    public var description: String {
        let pointer = self.pointer.isEmpty ? "/" : self.pointer
        guard let line else { return pointer }
        return "line \(line)" + (column.map { ", column \($0)" } ?? "") + " (\(pointer))"
    }

}

/// The lines and columns of a YAML document's values, by JSON pointer; empty for JSON.
public struct SourceMap: Sendable {
    var positions: [String: (line: Int, column: Int)] = [:]

    public init() {}

    /// The location of the value at `pointer`; a value without a position of its own (a default)
    /// gets its closest parent's line.
    public func location(_ pointer: String) -> SourceLocation {
        var probe = pointer
        while true {
            if let position = positions[probe] {
                return SourceLocation(pointer: pointer, line: position.line, column: probe == pointer ? position.column : nil)
            }
            guard let slash = probe.lastIndex(of: "/") else { return SourceLocation(pointer: pointer) }
            probe = String(probe[..<slash])
        }
    }
}
