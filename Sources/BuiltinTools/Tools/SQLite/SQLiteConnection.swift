import CSQLiteConfinement
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
    /// Keeps the workspace registered with the confined VFS for as long as the connection is open.
    private let file: SQLiteDatabaseFile
    /// What the workspace's quota left when the connection opened; a full database then means the quota.
    private let quotaBytesLeft: Int?

    /// Opens `file` (resolved inside the workspace): read-only with `PRAGMA query_only`, or
    /// read-write without creating anything; hardened, limited, and with the guardrails installed.
    /// - Throws: ``ToolFailure`` `invalid_argument` when the file is not a database, `internal_error` otherwise.
    /// - Parameter bytesLeft: what the workspace's quota leaves (nil: no quota); the database may
    ///   grow by at most that much (`PRAGMA max_page_count`, which the authorizer keeps statements from changing).
    init(file: SQLiteDatabaseFile, path: WorkspacePath, readOnly: Bool, limits: SQLiteGuardrails.Limits,
         bytesLeft: Int? = nil) throws(ToolFailure) {
        var handle: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX
        let status = sqlite3_open_v2(file.sqliteName, &handle, flags, nil)
        guard status == SQLITE_OK, let handle else {
            let reason = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(handle)
            throw ToolFailure(.internalError, "\(path.field): cannot open \"\(path)\" as a SQLite database: \(reason)")
        }
        self.handle = handle
        self.path = path
        self.file = file
        quotaBytesLeft = readOnly ? nil : bytesLeft
        guardrails = SQLiteGuardrails(readOnly: readOnly, limits: limits)
        guard toolhost_sqlite_harden(handle) == SQLITE_OK else {
            throw ToolFailure(.internalError, "\(path.field): cannot turn off SQLite's unsafe interfaces on this connection")
        }
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, 2000)
        guardrails.applyLimits(to: handle)
        // Sorts and temporary tables stay in memory, under the call's budget, instead of going to
        // unaccounted files in the host's temporary directory.
        try execute("PRAGMA temp_store = MEMORY", field: path.field)
        if readOnly {
            // Set before the authorizer, which refuses PRAGMA assignments.
            try execute("PRAGMA query_only = 1", field: path.field)
        }
        if let bytesLeft = quotaBytesLeft {
            // Also before the authorizer. A database cannot be shrunk below its pages: SQLite keeps the larger.
            let pageSize = try integer("PRAGMA page_size", field: path.field)
            let pages = try integer("PRAGMA page_count", field: path.field)
            try execute("PRAGMA max_page_count = \(max(1, pages + bytesLeft / max(pageSize, 512)))", field: path.field)
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
    /// The first column of the first row of `sql`, as an integer.
    private func integer(_ sql: String, field: String) throws(ToolFailure) -> Int {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK else { throw failure(sqlite3_errcode(handle), field: field) }
        defer { sqlite3_finalize(statement) }
        let status = sqlite3_step(statement)
        guard status == SQLITE_ROW else { throw failure(status, field: field) }
        return Int(sqlite3_column_int64(statement, 0))
    }

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
        // With trusted_schema off, SQLite refuses functions with side effects (fts3_tokenizer)
        // that a view or trigger in the file calls, as a plain error.
        case _ where message.hasPrefix("not authorized") || message.hasPrefix("unsafe use of"):
            return ToolFailure(.denied, "\(field): \(message)")
        case SQLITE_INTERRUPT:
            return guardrails.stopFailure(field: field)
        case SQLITE_TOOBIG:
            return ToolFailure(
                .memoryLimit, "\(field): a string or blob would be larger than the tool's limit of \(guardrails.limits.valueBytes) bytes")
        case SQLITE_NOTADB, SQLITE_CORRUPT:
            return ToolFailure(.invalidArgument, "\(path.field): \"\(path)\" is not a valid SQLite database (\(message))")
        case SQLITE_READONLY:
            return ToolFailure(.invalidArgument, "\(field): the statement writes, and the database is open read-only (\(message))")
        case SQLITE_FULL:
            if let quotaBytesLeft {
                return ToolFailure(
                    .workspaceQuota, "\(field): the database would grow past the \(quotaBytesLeft) bytes left of the workspace's quota (\(message))")
            }
            return ToolFailure(.tooLarge, "\(field): the database or disk is full (\(message))")
        case SQLITE_BUSY, SQLITE_LOCKED:
            return ToolFailure(.invalidArgument, "\(path.field): \"\(path)\" is locked by another connection (\(message))")
        case SQLITE_NOMEM:
            return ToolFailure(.memoryLimit, "\(field): SQLite ran out of memory (\(message))")
        case SQLITE_CANTOPEN:
            return ToolFailure(
                .denied, "\(path.field): cannot open \"\(path)\" or its journal without following a link (\(message))")
        case SQLITE_IOERR:
            return ToolFailure(.internalError, "\(field): \(message)")
        default:
            return ToolFailure(.invalidArgument, "\(field): \(message)")
        }
    }
}
