import Foundation
import GRDBSQLite
import ToolhostCore

/// The connection's authorizer and progress handler: what SQL may do, and until when.
///
/// A class because SQLite calls both back through C function pointers that cannot capture; the
/// connection passes this object as their user data and keeps it alive as long as itself.
final class SQLiteGuardrails {
    /// What one call may use.
    struct Limits {
        /// Wall time for the whole call.
        var timeoutSeconds: Double
        /// Memory that SQLite may allocate beyond what it held when the call began.
        var memoryBytes: Int
        /// The largest string or blob a statement may make (`SQLITE_LIMIT_LENGTH`): a bound on what
        /// one step can allocate before the progress handler looks again.
        var valueBytes: Int

        /// The tool's limits from its manifest (already clamped by the host), with defaults.
        init(_ limits: ToolLimits, fallbackTimeoutSeconds: Double = 30) {
            timeoutSeconds = limits.timeoutMs.map { Double($0) / 1000 } ?? fallbackTimeoutSeconds
            memoryBytes = limits.memoryBytes ?? 256 << 20
            valueBytes = min(max(memoryBytes / 8, 1 << 20), 64 << 20)
        }
    }

    /// Why the progress handler stopped a statement.
    enum Stop {
        case deadline, memory, cancelled
    }

    let readOnly: Bool
    let limits: Limits
    let deadline: ContinuousClock.Instant
    /// SQLite's allocations when the call began; the budget is counted from here.
    private let memoryAtStart: Int64
    /// Why the authorizer refused the current statement, for the error message.
    private(set) var denial: String?
    /// Why the progress handler interrupted the current statement.
    private(set) var stop: Stop?
    /// VACUUM attaches a temporary database (with an empty file name) to rebuild into.
    private var isVacuum = false

    init(readOnly: Bool, limits: Limits) {
        self.readOnly = readOnly
        self.limits = limits
        deadline = .now + .milliseconds(Int(limits.timeoutSeconds * 1000))
        memoryAtStart = sqlite3_memory_used()
    }

    /// Functions that hand SQL a pointer into the host process or a way to load code into it.
    static let deniedFunctions: Set<String> = ["fts3_tokenizer", "load_extension"]

    /// Caps what a statement can make in one go.
    func applyLimits(to handle: OpaquePointer) {
        sqlite3_limit(handle, SQLITE_LIMIT_LENGTH, Int32(limits.valueBytes))
        sqlite3_limit(handle, SQLITE_LIMIT_SQL_LENGTH, 1 << 20)
    }

    /// The failure for a statement the progress handler interrupted.
    func stopFailure(field: String) -> ToolFailure {
        switch stop {
        case .memory:
            ToolFailure(.memoryLimit, "\(field): stopped at the tool's memory limit of \(limits.memoryBytes) bytes")
        case .cancelled:
            ToolFailure(.timeout, "\(field): stopped because the call was cancelled")
        case .deadline, nil:
            ToolFailure(.timeout, "\(field): stopped after the tool's time limit of \(limits.timeoutSeconds) s")
        }
    }

    /// Whether the running statement must stop now; records why.
    private func shouldStop() -> Bool {
        if ContinuousClock.now >= deadline {
            stop = .deadline
        } else if Task.isCancelled {
            stop = .cancelled
        } else if sqlite3_memory_used() - memoryAtStart > Int64(limits.memoryBytes) {
            // SQLite counts all of its allocations in the process, so calls running at the same
            // time share this budget; a call is never allowed more than its own limit.
            stop = .memory
        } else {
            return false
        }
        return true
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
        // Every 100 virtual-machine steps: cheap, and fine-grained enough for a deadline and a
        // memory budget (one step allocates at most SQLITE_LIMIT_LENGTH).
        sqlite3_progress_handler(handle, 100, { context in
            guard let context else { return 1 }
            let guardrails = Unmanaged<SQLiteGuardrails>.fromOpaque(context).takeUnretainedValue()
            return guardrails.shouldStop() ? 1 : 0
        }, context)
    }

    private func authorize(_ action: Int32, _ first: String?, _ second: String?) -> Int32 {
        switch action {
        case SQLITE_ATTACH where isVacuum && (first ?? "").isEmpty:
            return SQLITE_OK
        case SQLITE_ATTACH, SQLITE_DETACH:
            return deny("ATTACH, DETACH and VACUUM INTO are not allowed: the tool works on the one database file it was given")
        case SQLITE_FUNCTION where Self.deniedFunctions.contains(second?.lowercased() ?? ""):
            return deny("\(second?.lowercased() ?? "")() is not allowed: it reaches into the host process")
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
