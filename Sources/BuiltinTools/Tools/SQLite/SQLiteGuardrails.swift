import Foundation
import GRDBSQLite

/// The connection's authorizer and progress handler: what SQL may do, and until when.
///
/// A class because SQLite calls both back through C function pointers that cannot capture; the
/// connection passes this object as their user data and keeps it alive as long as itself.
final class SQLiteGuardrails {
    let readOnly: Bool
    let timeoutSeconds: Double
    let deadline: ContinuousClock.Instant
    /// Why the authorizer refused the current statement, for the error message.
    private(set) var denial: String?
    /// VACUUM attaches a temporary database (with an empty file name) to rebuild into.
    private var isVacuum = false

    init(readOnly: Bool, timeoutSeconds: Double) {
        self.readOnly = readOnly
        self.timeoutSeconds = timeoutSeconds
        deadline = .now + .milliseconds(Int(timeoutSeconds * 1000))
    }

    /// Pragmas whose argument names a table or index to look at, not a value to set.
    static let lookupPragmas: Set<String> = [
        "table_info", "table_xinfo", "table_list", "index_info", "index_xinfo", "index_list", "foreign_key_list",
        "foreign_key_check", "integrity_check", "quick_check", "function_list", "pragma_list", "collation_list",
        "module_list", "database_list", "compile_options",
    ]

    /// Pragmas that change the journal, the file or how safe the schema is; sqlite_execute refuses
    /// setting them (reading them is fine).
    static let fileSettingPragmas: Set<String> = [
        "journal_mode", "journal_size_limit", "locking_mode", "mmap_size", "page_size", "auto_vacuum", "synchronous",
        "temp_store", "temp_store_directory", "data_store_directory", "wal_autocheckpoint", "writable_schema",
        "schema_version", "cache_spill", "max_page_count", "query_only", "trusted_schema", "cell_size_check", "encoding",
        "secure_delete", "hard_heap_limit", "soft_heap_limit", "threads", "cache_size",
    ]

    /// Forgets the previous statement's refusal; `sql` tells whether this one is a VACUUM.
    func beginStatement(_ sql: String) {
        denial = nil
        isVacuum = Self.firstKeyword(of: sql) == "VACUUM"
    }

    /// Installs the authorizer and the progress handler on `handle`.
    func install(on handle: OpaquePointer) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        sqlite3_set_authorizer(handle, { context, action, first, second, _, _ in
            guard let context else { return SQLITE_DENY }
            let guardrails = Unmanaged<SQLiteGuardrails>.fromOpaque(context).takeUnretainedValue()
            return guardrails.authorize(action, first.map { String(cString: $0) }, second.map { String(cString: $0) })
        }, context)
        // Every 1,000 virtual-machine steps: cheap, and fine-grained enough for a deadline.
        sqlite3_progress_handler(handle, 1000, { context in
            guard let context else { return 1 }
            let guardrails = Unmanaged<SQLiteGuardrails>.fromOpaque(context).takeUnretainedValue()
            return ContinuousClock.now >= guardrails.deadline || Task.isCancelled ? 1 : 0
        }, context)
    }

    private func authorize(_ action: Int32, _ first: String?, _ second: String?) -> Int32 {
        switch action {
        case SQLITE_ATTACH where isVacuum && (first ?? "").isEmpty:
            return SQLITE_OK
        case SQLITE_ATTACH, SQLITE_DETACH:
            return deny("ATTACH, DETACH and VACUUM INTO are not allowed: the tool works on the one database file it was given")
        case SQLITE_FUNCTION where second?.lowercased() == "load_extension":
            return deny("load_extension() is not allowed")
        case SQLITE_PRAGMA:
            let name = (first ?? "").lowercased()
            guard second != nil else { return SQLITE_OK }
            if readOnly, !Self.lookupPragmas.contains(name) {
                return deny("PRAGMA \(name) = … changes a setting; sqlite_query runs read-only statements only")
            }
            if !readOnly, Self.fileSettingPragmas.contains(name) {
                return deny("PRAGMA \(name) = … changes the journal, the file or the safety settings, which is not allowed")
            }
            return SQLITE_OK
        default:
            return SQLITE_OK
        }
    }

    private func deny(_ reason: String) -> Int32 {
        if denial == nil { denial = reason }
        return SQLITE_DENY
    }

    /// True for `VACUUM … INTO …`.
    static func isVacuumInto(_ sql: String) -> Bool {
        firstKeyword(of: sql) == "VACUUM" && sql.uppercased().split(whereSeparator: { !$0.isLetter }).contains("INTO")
    }

    /// The first SQL keyword of `sql`, upper-cased, after blanks and comments.
    static func firstKeyword(of sql: String) -> String {
        var rest = Substring(sql)
        while true {
            rest = rest.drop { $0.isWhitespace }
            if rest.hasPrefix("--") {
                rest = rest.drop { $0 != "\n" }
            } else if rest.hasPrefix("/*") {
                guard let end = rest.range(of: "*/") else { return "" }
                rest = rest[end.upperBound...]
            } else {
                break
            }
        }
        return rest.prefix { $0.isLetter }.uppercased()
    }
}
