import Foundation
import ToolhostCore

/// `sqlite_query`: one read-only statement against a workspace database, returning its rows.
///
/// Four locks keep it read-only: the file is opened `SQLITE_OPEN_READONLY`, the connection has
/// `PRAGMA query_only`, a statement for which `sqlite3_stmt_readonly` is false is refused before it
/// runs, and the authorizer refuses ATTACH/DETACH, `load_extension` and PRAGMA assignments.
struct SQLiteQueryTool: BuiltinTool {
    let name = "sqlite_query"

    func run(_ input: JSONValue, in context: ToolContext) async throws(ToolFailure) -> JSONValue {
        let path = try WorkspacePath(input["path"]?.stringValue ?? "", field: "path")
        let sql = input["sql"]?.stringValue ?? ""
        let maxRows = input["maxRows"]?.intValue ?? 1000
        let file = try SQLiteDatabaseFile(path, in: context.workspace, create: false)
        let connection = try SQLiteConnection(file: file, path: path, readOnly: true, limits: .init(context.limits))
        let statement = try connection.prepare(sql, field: "sql")
        guard statement.isReadOnly else {
            throw ToolFailure(.invalidArgument, "sql: the statement would change the database; "
                + "sqlite_query is read-only, use sqlite_execute to write")
        }
        try statement.bind(input["params"], field: "params")
        let result = try statement.run(maxRows: maxRows, maxBytes: context.limits.outputBytes ?? 20 << 20)
        return [
            "columns": .array(statement.columns.map(JSONValue.string)),
            "rows": .array(result.rows),
            "rowCount": .int(result.rows.count),
            "truncated": .bool(result.truncated),
        ]
    }
}
