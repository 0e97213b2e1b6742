import Foundation
import ToolhostCore

/// The `csv_query` built-in: reads CSV text or a workspace file and selects, filters, sorts and
/// pages its rows, with numbers recognised so that filters and sorting work numerically.
public struct CSVQueryTool: BuiltinTool {
    public let name = "csv_query"

    /// Largest CSV file read from the workspace, the same as the `csv` field's limit.
    static let maximumFileBytes = 20 << 20

    public init() {}

    /// Runs one query.
    /// - Throws: ``ToolFailure`` `invalid_argument` for both or neither of `csv` and `path`, bad CSV,
    ///   an unknown column or a repeated header name; `not_found`, `denied`, `too_large` for the file.
    public func run(_ input: JSONValue, in context: ToolContext) async throws(ToolFailure) -> JSONValue {
        let (text, field) = try Self.source(of: input, in: context.workspace)
        let parser = try CSVParser(delimiter: input["delimiter"]?.stringValue ?? ",", field: field)
        let table = try CSVTable(records: parser.records(of: text), hasHeader: input["hasHeader"]?.boolValue ?? true,
                                 inferTypes: input["inferTypes"]?.boolValue ?? true, field: field)

        let selected: [Int]
        if let names = input["columns"]?.arrayValue {
            var indices: [Int] = []
            for (index, name) in names.enumerated() {
                indices.append(try table.columnIndex(name.stringValue ?? "", field: "columns[\(index)]"))
            }
            selected = indices
        } else {
            selected = Array(table.columns.indices)
        }
        var conditions: [CSVCondition] = []
        for (index, condition) in (input["where"]?.arrayValue ?? []).enumerated() {
            conditions.append(try CSVCondition(condition, index: index, table: table))
        }
        var keys: [CSVSortKey] = []
        for (index, key) in (input["orderBy"]?.arrayValue ?? []).enumerated() {
            keys.append(try CSVSortKey(key, index: index, table: table))
        }

        var matched = table.rows.indices.filter { row in conditions.allSatisfy { $0.holds(for: table.rows[row]) } }
        if !keys.isEmpty {
            let values = matched.map { row in keys.map { CSVSortKey.Value(table.rows[row][$0.column].value) } }
            var order = Array(matched.indices)
            // Ties fall back to file order, which keeps the sort stable whatever the algorithm.
            order.sort { left, right in
                for (position, key) in keys.enumerated() {
                    let comparison = key.compare(values[left][position], values[right][position])
                    if comparison != 0 { return comparison < 0 }
                }
                return left < right
            }
            matched = order.map { matched[$0] }
        }
        let offset = min(input["offset"]?.intValue ?? 0, matched.count)
        let limit = input["limit"]?.intValue ?? 1000
        let page = matched[offset..<min(matched.count, offset + limit)]
        let rows = page.map { row in JSONValue.array(selected.map { table.rows[row][$0].value }) }
        return [
            "columns": .array(selected.map { .string(table.columns[$0]) }),
            "rows": .array(rows),
            "rowCount": .int(rows.count),
            "matchedRows": .int(matched.count),
        ]
    }

    /// The CSV text and the field it came from: exactly one of `csv` and `path`.
    private static func source(of input: JSONValue, in workspace: Workspace) throws(ToolFailure) -> (String, String) {
        switch (input["csv"]?.stringValue, input["path"]?.stringValue) {
        case (let csv?, nil):
            return (csv, "csv")
        case (nil, let raw?):
            let path = try WorkspacePath(raw, field: "path")
            let data = try workspace.read(path, maxBytes: maximumFileBytes)
            guard let text = String(validating: data, as: UTF8.self) else {
                throw ToolFailure(.invalidArgument, "path: \"\(path)\" is not valid UTF-8 text")
            }
            return (text, "path")
        case (_?, _?):
            throw ToolFailure(.invalidArgument, "csv, path: give exactly one of csv and path, not both")
        case (nil, nil):
            throw ToolFailure(.invalidArgument, "csv, path: give exactly one of csv and path")
        }
    }
}
