import ToolhostCore

/// One `where` condition of csv_query, bound to a column.
struct CSVCondition {
    enum Operator: String {
        case eq, ne, lt, lte, gt, gte, contains, startsWith, endsWith, `in`, isNull, isNotNull
    }

    let column: Int
    let op: Operator
    let value: JSONValue

    /// Reads `where[index]` against the table's columns.
    /// - Throws: ``ToolFailure`` `invalid_argument` naming `where[i].column`, `.op` or `.value`.
    init(_ json: JSONValue, index: Int, table: CSVTable) throws(ToolFailure) {
        let field = "where[\(index)]"
        column = try table.columnIndex(json["column"]?.stringValue ?? "", field: "\(field).column")
        guard let name = json["op"]?.stringValue, let op = Operator(rawValue: name) else {
            throw ToolFailure(.invalidArgument, "\(field).op: unknown operator \"\(json["op"]?.stringValue ?? "")\"")
        }
        self.op = op
        value = json["value"] ?? .null
        switch op {
        case .isNull, .isNotNull:
            if json["value"] != nil { throw ToolFailure(.invalidArgument, "\(field).value: \(op.rawValue) takes no value") }
        case .in:
            guard value.arrayValue != nil else { throw ToolFailure(.invalidArgument, "\(field).value: in needs an array of values") }
        case .contains, .startsWith, .endsWith:
            guard value.stringValue != nil else {
                throw ToolFailure(.invalidArgument, "\(field).value: \(op.rawValue) needs a string")
            }
        default:
            guard json["value"] != nil else { throw ToolFailure(.invalidArgument, "\(field).value: \(op.rawValue) needs a value") }
            guard value.arrayValue == nil else {
                throw ToolFailure(.invalidArgument, "\(field).value: an array is only allowed with the in operator")
            }
        }
    }

    /// Whether the row satisfies the condition.
    func holds(for row: [CSVCell]) -> Bool {
        let cell = row[column]
        switch op {
        case .eq: return Self.equal(cell.value, value)
        case .ne: return !Self.equal(cell.value, value)
        case .lt: return Self.order(cell.value, value).map { $0 < 0 } ?? false
        case .lte: return Self.order(cell.value, value).map { $0 <= 0 } ?? false
        case .gt: return Self.order(cell.value, value).map { $0 > 0 } ?? false
        case .gte: return Self.order(cell.value, value).map { $0 >= 0 } ?? false
        case .contains: return Self.bytes(cell.text, contain: value.stringValue ?? "")
        case .startsWith: return cell.text.utf8.starts(with: (value.stringValue ?? "").utf8)
        case .endsWith: return cell.text.utf8.reversed().starts(with: (value.stringValue ?? "").utf8.reversed())
        case .in: return (value.arrayValue ?? []).contains { Self.equal(cell.value, $0) }
        case .isNull: return cell.text.isEmpty
        case .isNotNull: return !cell.text.isEmpty
        }
    }

    /// Equality of a typed cell and a query value: numbers by value, strings by code point, null
    /// with null; values of different types are never equal.
    static func equal(_ cell: JSONValue, _ value: JSONValue) -> Bool {
        switch (cell, value) {
        case (.null, .null): true
        case (.string(let left), .string(let right)): left.utf8.elementsEqual(right.utf8)
        case (.int, _), (.double, _): value.isNumber && compareNumbers(cell, value) == 0
        default: false
        }
    }

    /// -1, 0 or 1 for two numbers or two strings; nil when they cannot be ordered (different
    /// types, a null, a boolean).
    static func order(_ left: JSONValue, _ right: JSONValue) -> Int? {
        switch (left, right) {
        case (.string(let a), .string(let b)):
            // UTF-8 byte order is Unicode code point order.
            if a.utf8.elementsEqual(b.utf8) { return 0 }
            return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1
        case (.int, .int), (.int, .double), (.double, .int), (.double, .double):
            return compareNumbers(left, right)
        default:
            return nil
        }
    }

    /// Compares two numbers exactly when both are integers (a double would round large ones).
    private static func compareNumbers(_ left: JSONValue, _ right: JSONValue) -> Int {
        if case .int(let a) = left, case .int(let b) = right { return a == b ? 0 : (a < b ? -1 : 1) }
        let a = left.doubleValue ?? 0
        let b = right.doubleValue ?? 0
        return a == b ? 0 : (a < b ? -1 : 1)
    }

    private static func bytes(_ text: String, contain needle: String) -> Bool {
        let haystack = Array(text.utf8)
        let needle = Array(needle.utf8)
        guard !needle.isEmpty else { return true }
        guard needle.count <= haystack.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }
}
