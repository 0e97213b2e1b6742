import Dispatch
import Foundation
import GRDB
import Storage
import Synchronization
import ToolhostCore

/// Spans in the data directory's SQLite database, in a `span` table of their own.
///
/// The indexes serve the questions people ask of traces: the latest calls of a tenant, the calls of
/// one tool over a window (for p50/p95/p99), failures over a window, one trace, one call. Columns
/// are typed rather than one JSON blob so that windows and percentiles stay index range scans.
///
/// Spans are written in batches: ``record(_:)`` queues the span and a background flush commits all
/// queued spans in one transaction a few milliseconds later, so a busy host pays one commit per batch
/// instead of one per call. Every read flushes first, so a reader always sees the calls that finished
/// before it asked. A crash can lose the spans of the last few milliseconds, never corrupt the store.
public struct SQLiteTraceStore: TraceStore {
    let database: SQLiteDatabase
    private let batch = SpanBatch()

    /// Uses `database` (shared with the catalog) and brings the span table up to date.
    /// - Throws: ``ToolhostError`` `storage_error` when the migration fails.
    public init(database: SQLiteDatabase) throws(ToolhostError) {
        self.database = database
        try database.migrate(Self.migrator, for: "trace")
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("tracing v1: spans") { db in
            try db.execute(sql: """
                CREATE TABLE span (
                    spanId TEXT PRIMARY KEY NOT NULL,
                    traceId TEXT NOT NULL,
                    parentSpanId TEXT,
                    name TEXT NOT NULL,
                    tenant TEXT NOT NULL,
                    tool TEXT NOT NULL,
                    package TEXT NOT NULL,
                    toolVersion TEXT NOT NULL,
                    caller TEXT NOT NULL,
                    agent TEXT,
                    privilegeLevel INTEGER NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('ok', 'error')),
                    errorType TEXT,
                    errorMessage TEXT,
                    startNanos INTEGER NOT NULL,
                    durationMs REAL NOT NULL,
                    inputBytes INTEGER NOT NULL,
                    outputBytes INTEGER NOT NULL,
                    estimatedInputTokens INTEGER NOT NULL,
                    estimatedOutputTokens INTEGER NOT NULL,
                    sandboxOutcome TEXT,
                    sandboxWallMs REAL,
                    sandboxCpuMs REAL,
                    sandboxPeakMemoryBytes INTEGER,
                    callId TEXT,
                    attributes TEXT NOT NULL DEFAULT '{}'
                );
                CREATE INDEX span_tenant_start ON span (tenant, startNanos);
                CREATE INDEX span_tenant_tool_start ON span (tenant, tool, startNanos, durationMs);
                CREATE INDEX span_tenant_status_start ON span (tenant, status, startNanos);
                CREATE INDEX span_tenant_agent_start ON span (tenant, agent, startNanos) WHERE agent IS NOT NULL;
                CREATE INDEX span_trace ON span (traceId);
                CREATE INDEX span_call ON span (callId) WHERE callId IS NOT NULL;
                """)
        }
        return migrator
    }

    public func record(_ span: Span) throws(ToolhostError) {
        guard batch.add(span) else { return }
        // The first span of a batch schedules its flush; the ones that follow ride along.
        SpanBatch.queue.asyncAfter(deadline: .now() + .milliseconds(5)) { [self] in try? commitQueued() }
    }

    /// Commits the queued spans now. Flushes run one at a time, so when this returns every span
    /// recorded before the call is in the database.
    /// - Throws: ``ToolhostError`` `storage_error`; the spans of a failed batch are dropped.
    public func flush() async throws(ToolhostError) {
        // On the flush queue, which the calling task waits for without holding a thread.
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<Void, ToolhostError>, Never>) in
            SpanBatch.queue.async {
                continuation.resume(returning: Result { () throws(ToolhostError) in try commitQueued() })
            }
        }
        try result.get()
    }

    private func commitQueued() throws(ToolhostError) {
        let spans = batch.take()
        guard !spans.isEmpty else { return }
        do {
            // Blocking is right here: this runs on the flush queue, never on the cooperative pool.
            try database.write { db in
                for span in spans { try Self.insert(span, into: db) }
            }
        } catch {
            throw ToolhostError(.storage, "cannot record \(spans.count) span(s): \(error.message)")
        }
    }

    private static func insert(_ span: Span, into db: Database) throws {
        let attributes = String(decoding: try JSONEncoder().encode(span.attributes), as: UTF8.self)
        try db.execute(sql: """
                    INSERT INTO span (spanId, traceId, parentSpanId, name, tenant, tool, package, toolVersion, caller, agent,
                        privilegeLevel, status, errorType, errorMessage, startNanos, durationMs, inputBytes, outputBytes,
                        estimatedInputTokens, estimatedOutputTokens, sandboxOutcome, sandboxWallMs, sandboxCpuMs,
                        sandboxPeakMemoryBytes, callId, attributes)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [
                        span.spanID, span.traceID, span.parentSpanID, span.name, span.tenant, span.tool, span.package,
                        span.toolVersion, span.caller, span.agent, span.privilegeLevel, span.status.rawValue, span.errorType,
                        span.errorMessage, Int64((span.start.timeIntervalSince1970 * 1e9).rounded()), span.durationMs,
                        span.inputBytes, span.outputBytes, span.estimatedInputTokens, span.estimatedOutputTokens,
                        span.sandbox?.outcome, span.sandbox?.wallMs, span.sandbox?.cpuMs, span.sandbox?.peakMemoryBytes,
                        span.callID, attributes,
                    ])
    }

    public func recent(tenant: String, tool: String?, limit: Int) async throws(ToolhostError) -> [Span] {
        try await flush()
        var sql = "SELECT * FROM span WHERE tenant = ?"
        var arguments: [any DatabaseValueConvertible] = [tenant]
        if let tool {
            sql += " AND tool = ?"
            arguments.append(tool)
        }
        sql += " ORDER BY startNanos DESC LIMIT ?"
        arguments.append(max(0, limit))
        return try await fetch(sql, StatementArguments(arguments))
    }

    public func trace(_ traceID: String, tenant: String) async throws(ToolhostError) -> [Span] {
        try await flush()
        return try await fetch("SELECT * FROM span WHERE traceId = ? AND tenant = ? ORDER BY startNanos", [traceID, tenant])
    }

    private func fetch(_ sql: String, _ arguments: StatementArguments) async throws(ToolhostError) -> [Span] {
        try await database.read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.span(from:))
        }
    }

    private static func span(from row: Row) throws -> Span {
        let outcome: String? = row["sandboxOutcome"]
        let sandbox = outcome.map {
            SandboxUsage(outcome: $0, wallMs: row["sandboxWallMs"] ?? 0, cpuMs: row["sandboxCpuMs"] ?? 0,
                              peakMemoryBytes: row["sandboxPeakMemoryBytes"] ?? 0)
        }
        let attributes = try JSONDecoder().decode([String: String].self, from: Data((row["attributes"] as String).utf8))
        var span = Span(
            traceID: row["traceId"], spanID: row["spanId"], parentSpanID: row["parentSpanId"], name: row["name"],
            tenant: row["tenant"], tool: row["tool"], package: row["package"], toolVersion: row["toolVersion"],
            caller: row["caller"], agent: row["agent"], privilegeLevel: row["privilegeLevel"],
            status: Span.Status(rawValue: row["status"]) ?? .error, errorType: row["errorType"], errorMessage: row["errorMessage"],
            start: Date(timeIntervalSince1970: Double(row["startNanos"] as Int64) / 1e9), durationMs: row["durationMs"],
            inputBytes: row["inputBytes"], outputBytes: row["outputBytes"], sandbox: sandbox, callID: row["callId"],
            attributes: attributes)
        span.estimatedInputTokens = row["estimatedInputTokens"]
        span.estimatedOutputTokens = row["estimatedOutputTokens"]
        return span
    }
}

/// Spans waiting for their batch's commit. A Mutex because calls on any thread add to it.
final class SpanBatch: Sendable {
    /// Where flushes run: one at a time, off the callers' threads.
    static let queue = DispatchQueue(label: "toolhost.traces.flush")
    private let pending = Mutex<[Span]>([])

    /// Queues `span`; true when it is the first of a new batch (whose flush must be scheduled).
    func add(_ span: Span) -> Bool {
        pending.withLock { pending in
            pending.append(span)
            return pending.count == 1
        }
    }

    func take() -> [Span] {
        pending.withLock { pending in
            defer { pending.removeAll(keepingCapacity: true) }
            return pending
        }
    }
}
