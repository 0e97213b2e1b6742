import Foundation
import GRDBSQLite

/// One SQLite connection of a sqlite_query or sqlite_execute call, through SQLite's C API.
///
/// The C API rather than GRDB because the tools need the connection's authorizer (GRDB installs
/// its own, once per connection) and statement-by-statement control: one statement per string,
/// `sqlite3_stmt_readonly`, changes and the last rowid after each statement.
final class SQLiteConnection {
    let handle: OpaquePointer
    let guardrails: SQLiteGuardrails
    /// The workspace path of the database, for messages.
    let path: WorkspacePath

    /// Opens the database file at `hostPath` (already resolved inside the workspace): read-only with
    /// `PRAGMA query_only`, or read-write without creating anything.
    /// - Throws: ``ToolFailure`` `invalid_argument` when the file is not a database, `internal_error` otherwise.
    init(hostPath: String, path: WorkspacePath, readOnly: Bool, timeoutSeconds: Double) throws(ToolFailure) {
        var handle: OpaquePointer?
        // NOFOLLOW: the path is already resolved, so a link appearing there now is not ours to follow.
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX
        let status = sqlite3_open_v2(hostPath, &handle, flags, nil)
        guard status == SQLITE_OK, let handle else {
            let reason = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(handle)
            throw ToolFailure(.internalError, "\(path.field): cannot open \"\(path)\" as a SQLite database: \(reason)")
        }
        self.handle = handle
        self.path = path
        guardrails = SQLiteGuardrails(readOnly: readOnly, timeoutSeconds: timeoutSeconds)
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, 2000)
        if readOnly {
            // Set before the authorizer, which refuses PRAGMA assignments.
            try execute("PRAGMA query_only = 1", field: path.field)
        }
        guardrails.install(on: handle)
        // Reading the schema is where a file that is not a database shows itself.
        try execute("SELECT count(*) FROM sqlite_master", field: path.field)
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Prepares `sql`, which must hold exactly one statement (a trailing `;` and comments are fine).
    /// - Throws: ``ToolFailure`` naming `field`: `invalid_argument` for a syntax error, no statement or
    ///   several, `denied` when the authorizer refused part of it.
    func prepare(_ sql: String, field: String) throws(ToolFailure) -> SQLiteStatement {
        guardrails.beginStatement(sql)
        // VACUUM INTO attaches its target only when it runs (and not at all inside a transaction),
        // so it is refused here, before it can get that far.
        if SQLiteGuardrails.isVacuumInto(sql) {
            throw ToolFailure(.denied, "\(field): VACUUM INTO is not allowed: the tool works on the one database file it was given")
        }
        let utf8 = Array(sql.utf8CString)
        return try utf8.withUnsafeBufferPointer { buffer throws(ToolFailure) -> SQLiteStatement in
            var statement: OpaquePointer?
            var tail: UnsafePointer<CChar>?
            let status = sqlite3_prepare_v2(handle, buffer.baseAddress, Int32(buffer.count), &statement, &tail)
            guard status == SQLITE_OK else { throw failure(status, field: field) }
            guard let statement else { throw ToolFailure(.invalidArgument, "\(field): there is no SQL statement, only comments or blanks") }
            let prepared = SQLiteStatement(statement, connection: self, field: field)
            if let tail, tail.pointee != 0 {
                var next: OpaquePointer?
                let nextStatus = sqlite3_prepare_v2(handle, tail, -1, &next, nil)
                sqlite3_finalize(next)
                if nextStatus != SQLITE_OK || next != nil {
                    throw ToolFailure(
                        .invalidArgument, "\(field): holds more than one statement; give one statement per string (a trailing `;` is fine)")
                }
            }
            return prepared
        }
    }

    /// Runs one statement that returns nothing the caller needs.
    func execute(_ sql: String, field: String) throws(ToolFailure) {
        let status = sqlite3_exec(handle, sql, nil, nil, nil)
        guard status == SQLITE_OK else { throw failure(status, field: field) }
    }

    /// The failure for a SQLite result code, with SQLite's message and the field it came from.
    func failure(_ status: Int32, field: String) -> ToolFailure {
        let message = String(cString: sqlite3_errmsg(handle))
        switch status & 0xFF {
        case SQLITE_AUTH:
            return ToolFailure(.denied, "\(field): \(guardrails.denial ?? "not authorized: \(message)")")
        // SQLite refuses load_extension() itself while extension loading is off, as a plain error.
        case _ where message.hasPrefix("not authorized"):
            return ToolFailure(.denied, "\(field): \(message)")
        case SQLITE_INTERRUPT:
            return ToolFailure(.timeout, "\(field): stopped after the tool's time limit of \(guardrails.timeoutSeconds) s")
        case SQLITE_NOTADB, SQLITE_CORRUPT:
            return ToolFailure(.invalidArgument, "\(path.field): \"\(path)\" is not a valid SQLite database (\(message))")
        case SQLITE_READONLY:
            return ToolFailure(.invalidArgument, "\(field): the statement writes, and the database is open read-only (\(message))")
        case SQLITE_FULL:
            return ToolFailure(.tooLarge, "\(field): the database or disk is full (\(message))")
        case SQLITE_BUSY, SQLITE_LOCKED:
            return ToolFailure(.invalidArgument, "\(path.field): \"\(path)\" is locked by another connection (\(message))")
        case SQLITE_NOMEM, SQLITE_IOERR, SQLITE_CANTOPEN:
            return ToolFailure(.internalError, "\(field): \(message)")
        default:
            return ToolFailure(.invalidArgument, "\(field): \(message)")
        }
    }
}
