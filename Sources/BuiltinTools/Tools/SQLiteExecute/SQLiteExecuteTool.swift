import Foundation
import GRDBSQLite
import ToolhostCore

/// `sqlite_execute`: runs writing statements on a workspace database, by default in one
/// `BEGIN IMMEDIATE … COMMIT` transaction, and reports changes, rowids and RETURNING rows.
///
/// The authorizer refuses ATTACH/DETACH (and so VACUUM INTO), `load_extension` and PRAGMAs that
/// change the journal or the file, so the statements can touch no file but the one named.
struct SQLiteExecuteTool: BuiltinTool {
    let name = "sqlite_execute"

    /// One statement of the call and the fields its parts came from.
    private struct Step {
        var sql: String
        var params: JSONValue?
        var sqlField: String
        var paramsField: String
    }

    func run(_ input: JSONValue, in context: ToolContext) async throws(ToolFailure) -> JSONValue {
        let path = try WorkspacePath(input["path"]?.stringValue ?? "", field: "path")
        let steps = try self.steps(of: input)
        let inTransaction = input["transaction"]?.boolValue ?? true
        let maxRows = input["maxRows"]?.intValue ?? 1000
        let file = try SQLiteDatabaseFile(path, in: context.workspace, create: input["createIfMissing"]?.boolValue ?? true)
        do {
            return try execute(steps, file: file, path: path, inTransaction: inTransaction, maxRows: maxRows, context: context)
        } catch {
            // A database this call created and whose statements had no effect is not left behind.
            if file.created, inTransaction { try? context.workspace.remove(path) }
            throw error
        }
    }

    private func execute(
        _ steps: [Step], file: SQLiteDatabaseFile, path: WorkspacePath, inTransaction: Bool, maxRows: Int, context: ToolContext
    ) throws(ToolFailure) -> JSONValue {
        let connection = try SQLiteConnection(
            file: file, path: path, readOnly: false, limits: .init(context.limits), bytesLeft: try context.workspace.bytesLeft())
        if inTransaction { try connection.execute("BEGIN IMMEDIATE", field: "transaction") }
        var results: [JSONValue] = []
        var totalChanges = 0
        var budget = context.limits.outputBytes ?? 20 << 20
        for (index, step) in steps.enumerated() {
            do {
                let statement = try connection.prepare(step.sql, field: step.sqlField)
                try statement.bind(step.params, field: step.paramsField)
                let before = sqlite3_total_changes64(connection.handle)
                let outcome = try statement.run(maxRows: maxRows, maxBytes: budget)
                budget -= outcome.rows.description.utf8.count
                // sqlite3_changes keeps the count of the last INSERT/UPDATE/DELETE through DDL, so
                // a statement that changed nothing in total reports 0.
                let changes = sqlite3_total_changes64(connection.handle) == before ? 0 : Int(sqlite3_changes64(connection.handle))
                totalChanges += changes
                results.append([
                    "changes": .int(changes),
                    "lastInsertRowid": .int(Int(sqlite3_last_insert_rowid(connection.handle))),
                    "columns": .array(statement.columns.map(JSONValue.string)),
                    "rows": .array(outcome.rows),
                ])
            } catch {
                if inTransaction {
                    try? connection.execute("ROLLBACK", field: "transaction")
                    throw ToolFailure(error.kind, error.message + " (the transaction was rolled back: no statement had any effect)")
                }
                guard index > 0 else { throw error }
                throw ToolFailure(error.kind, error.message + " (the \(index) statement(s) before it were committed)")
            }
        }
        if inTransaction {
            do {
                try connection.execute("COMMIT", field: "transaction")
            } catch {
                try? connection.execute("ROLLBACK", field: "transaction")
                throw error
            }
        }
        return ["results": .array(results), "totalChanges": .int(totalChanges)]
    }

    /// The statements of the call: `statements`, or the `sql`/`params` shorthand.
    private func steps(of input: JSONValue) throws(ToolFailure) -> [Step] {
        if let sql = input["sql"]?.stringValue {
            guard input["statements"] == nil else {
                throw ToolFailure(.invalidArgument, "sql: give either statements or sql, not both")
            }
            return [Step(sql: sql, params: input["params"], sqlField: "sql", paramsField: "params")]
        }
        guard let statements = input["statements"]?.arrayValue, !statements.isEmpty else {
            throw ToolFailure(.invalidArgument, "statements: give statements or sql")
        }
        return statements.enumerated().map { index, statement in
            Step(
                sql: statement["sql"]?.stringValue ?? "", params: statement["params"],
                sqlField: "statements[\(index)].sql", paramsField: "statements[\(index)].params")
        }
    }
}
