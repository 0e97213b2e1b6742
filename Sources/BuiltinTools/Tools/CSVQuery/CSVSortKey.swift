import Foundation
import ToolhostCore

/// One `orderBy` key of csv_query: numbers before strings, strings by code point, nulls last
/// in both directions.
struct CSVSortKey {
    /// A cell reduced to what ordering needs, computed once per row rather than per comparison.
    enum Value {
        case integer(Int)
        case number(Double)
        case string([UInt8])
        case null

        init(_ value: JSONValue) {
            switch value {
            case .int(let integer): self = .integer(integer)
            case .double(let double): self = .number(double)
            case .string(let string): self = .string(Array(string.utf8))
            default: self = .null
            }
        }
    }

    let column: Int
    let descending: Bool

    /// Reads `orderBy[index]` against the table's columns.
    /// - Throws: ``ToolFailure`` `invalid_argument` naming `orderBy[i].column` or `.direction`.
    init(_ json: JSONValue, index: Int, table: CSVTable) throws(ToolFailure) {
        column = try table.columnIndex(json["column"]?.stringValue ?? "", field: "orderBy[\(index)].column")
        switch json["direction"]?.stringValue ?? "asc" {
        case "asc": descending = false
        case "desc": descending = true
        case let other: throw ToolFailure(.invalidArgument, "orderBy[\(index)].direction: expected asc or desc, got \"\(other)\"")
        }
    }

    /// -1, 0 or 1: the order of two cells' values by this key.
    func compare(_ left: Value, _ right: Value) -> Int {
        let result: Int
        switch (left, right) {
        case (.null, .null): return 0
        case (.null, _): return 1
        case (_, .null): return -1
        case (.integer(let a), .integer(let b)): result = a == b ? 0 : (a < b ? -1 : 1)
        case (.integer(let a), .number(let b)): result = Self.compare(Double(a), b)
        case (.number(let a), .integer(let b)): result = Self.compare(a, Double(b))
        case (.number(let a), .number(let b)): result = Self.compare(a, b)
        case (.integer, .string), (.number, .string): result = -1
        case (.string, .integer), (.string, .number): result = 1
        case (.string(let a), .string(let b)): result = Self.compare(a, b)
        }
        return descending ? -result : result
    }

    private static func compare(_ a: Double, _ b: Double) -> Int {
        a == b ? 0 : (a < b ? -1 : 1)
    }

    /// UTF-8 byte order, which is Unicode code point order.
    private static func compare(_ a: [UInt8], _ b: [UInt8]) -> Int {
        let length = min(a.count, b.count)
        let common = length == 0 ? 0 : a.withUnsafeBufferPointer { left in
            b.withUnsafeBufferPointer { right in memcmp(left.baseAddress!, right.baseAddress!, length) }
        }
        if common != 0 { return common < 0 ? -1 : 1 }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }
}
