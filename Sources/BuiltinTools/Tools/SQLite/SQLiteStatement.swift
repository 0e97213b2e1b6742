import Foundation
import GRDBSQLite
import ToolhostCore

/// A prepared statement of a ``SQLiteConnection``: binding `params`, stepping, mapping values.
final class SQLiteStatement {
    let handle: OpaquePointer
    let connection: SQLiteConnection
    /// The input field of the SQL, for messages (`sql`, `statements[2].sql`).
    let field: String

    init(_ handle: OpaquePointer, connection: SQLiteConnection, field: String) {
        self.handle = handle
        self.connection = connection
        self.field = field
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// True when the statement cannot change the database file.
    var isReadOnly: Bool { sqlite3_stmt_readonly(handle) != 0 }

    /// The result column names (empty for a statement that returns no rows).
    var columns: [String] {
        (0..<sqlite3_column_count(handle)).map { String(cString: sqlite3_column_name(handle, $0)) }
    }

    /// Binds `params` (an array by position, an object by name without the `:`/`@`/`$` prefix);
    /// every placeholder must get a value and every value a placeholder.
    /// - Throws: ``ToolFailure`` `invalid_argument` naming `paramsField`.
    func bind(_ params: JSONValue?, field paramsField: String) throws(ToolFailure) {
        let count = Int(sqlite3_bind_parameter_count(handle))
        switch params {
        case nil, .null?:
            guard count == 0 else {
                throw ToolFailure(.invalidArgument, "\(paramsField): the statement has \(count) placeholder(s) but no params were given")
            }
        case .array(let values)?:
            guard values.count == count else {
                throw ToolFailure(
                    .invalidArgument, "\(paramsField): the statement has \(count) placeholder(s) but \(values.count) value(s) were given")
            }
            for (index, value) in values.enumerated() {
                try bind(value, at: Int32(index + 1), field: "\(paramsField)[\(index)]")
            }
        case .object(let values)?:
            var used: Set<String> = []
            for index in stride(from: 1, through: count, by: 1) {
                guard let pointer = sqlite3_bind_parameter_name(handle, Int32(index)) else {
                    throw ToolFailure(
                        .invalidArgument, "\(paramsField): placeholder \(index) is a `?`, which takes an array of params, not an object")
                }
                let name = String(String(cString: pointer).dropFirst())
                guard let value = values[name] else {
                    throw ToolFailure(.invalidArgument, "\(paramsField): no value for the placeholder \(String(cString: pointer))")
                }
                used.insert(name)
                try bind(value, at: Int32(index), field: "\(paramsField).\(name)")
            }
            if let unused = values.keys.filter({ !used.contains($0) }).sorted().first {
                throw ToolFailure(.invalidArgument, "\(paramsField).\(unused): the statement has no placeholder :\(unused)")
            }
        case let other?:
            throw ToolFailure(.invalidArgument, "\(paramsField): expected an array or an object, got \(other.typeName)")
        }
    }

    private func bind(_ value: JSONValue, at index: Int32, field: String) throws(ToolFailure) {
        let status: Int32 =
            switch value {
            case .null: sqlite3_bind_null(handle, index)
            case .bool(let flag): sqlite3_bind_int64(handle, index, flag ? 1 : 0)
            case .int(let number): sqlite3_bind_int64(handle, index, sqlite3_int64(number))
            case .double(let number): sqlite3_bind_double(handle, index, number)
            case .string(let text): sqlite3_bind_text(handle, index, text, -1, SQLiteStatement.transient)
            case .array, .object:
                throw ToolFailure(.invalidArgument, "\(field): a bound value must be a string, number, boolean or null")
            }
        guard status == SQLITE_OK else { throw connection.failure(status, field: field) }
    }

    /// SQLite's `SQLITE_TRANSIENT` (copy the bytes now), a cast macro that Swift does not import.
    static var transient: sqlite3_destructor_type { unsafeBitCast(-1, to: sqlite3_destructor_type.self) }

    /// Runs the statement to the end, keeping the first `maxRows` rows.
    /// - Returns: the rows kept and whether there were more.
    /// - Throws: ``ToolFailure`` from SQLite (naming ``field``), or `too_large` when the rows kept
    ///   would exceed `maxBytes` of output.
    func run(maxRows: Int, maxBytes: Int) throws(ToolFailure) -> (rows: [JSONValue], truncated: Bool) {
        var rows: [JSONValue] = []
        var truncated = false
        var bytes = 0
        let columnCount = sqlite3_column_count(handle)
        while true {
            let status = sqlite3_step(handle)
            if status == SQLITE_DONE { break }
            guard status == SQLITE_ROW else { throw connection.failure(status, field: field) }
            guard rows.count < maxRows else {
                // A query stops here; a writing statement (RETURNING) must still run to the end.
                truncated = true
                if isReadOnly { break }
                continue
            }
            var row: [JSONValue] = []
            row.reserveCapacity(Int(columnCount))
            for column in 0..<columnCount {
                let (value, size) = self.value(at: column)
                bytes += size
                row.append(value)
            }
            if bytes > maxBytes {
                throw ToolFailure(
                    .tooLarge,
                    "\(field): the first \(rows.count + 1) rows are larger than the output limit of "
                        + "\(maxBytes) bytes; lower maxRows or select fewer columns")
            }
            rows.append(.array(row))
        }
        return (rows, truncated)
    }

    /// Column `column` of the current row as JSON (Tools/README.md: INTEGER → integer, REAL →
    /// number, TEXT → string, NULL → null, BLOB → `{"base64": …}`), with its approximate JSON size.
    private func value(at column: Int32) -> (JSONValue, Int) {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER:
            return (.int(Int(sqlite3_column_int64(handle, column))), 20)
        case SQLITE_FLOAT:
            let number = sqlite3_column_double(handle, column)
            // JSON has no infinities (SQLite turns NaN into NULL itself); keep them readable as text.
            guard number.isFinite else { return (.string(number > 0 ? "Infinity" : "-Infinity"), 10) }
            return (.double(number), 24)
        case SQLITE_TEXT:
            let count = Int(sqlite3_column_bytes(handle, column))
            guard let pointer = sqlite3_column_text(handle, column) else { return (.string(""), 2) }
            return (.string(String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)), count + 2)
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, column))
            guard count > 0, let pointer = sqlite3_column_blob(handle, column) else { return (["base64": ""], 14) }
            let data = Data(bytes: pointer, count: count)
            return (["base64": .string(data.base64EncodedString())], count * 4 / 3 + 16)
        default:
            return (.null, 4)
        }
    }
}
