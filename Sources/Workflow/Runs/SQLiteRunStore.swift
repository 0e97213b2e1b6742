import Foundation
import GRDB
import Storage
import ToolhostCore

/// Runs and their event logs in the data directory's SQLite database (`workflowRun`, `runEvent`).
/// An append and the run's new last sequence number commit together, under the lease check.
public struct SQLiteRunStore: RunStore {
    let database: SQLiteDatabase

    /// Uses `database` and brings the run tables up to date.
    /// - Throws: ``ToolhostCore/ToolhostError`` `storage_error`.
    public init(database: SQLiteDatabase) throws(ToolhostError) {
        self.database = database
        try database.migrate(Self.migrator, for: "workflow run")
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("workflow v1: runs and their event logs") { db in
            try db.execute(sql: """
                CREATE TABLE workflowRun (
                    id TEXT PRIMARY KEY NOT NULL,
                    tenant TEXT NOT NULL,
                    caller TEXT NOT NULL,
                    agent TEXT,
                    workflow TEXT NOT NULL,
                    workflowVersion TEXT,
                    definition TEXT NOT NULL,
                    input TEXT NOT NULL,
                    status TEXT NOT NULL,
                    traceId TEXT NOT NULL,
                    createdAt DATETIME NOT NULL,
                    updatedAt DATETIME NOT NULL,
                    lastSequence INTEGER NOT NULL DEFAULT 0,
                    leaseHolder TEXT,
                    leaseExpiresAt DATETIME
                );
                CREATE INDEX workflowRun_tenant_created ON workflowRun (tenant, createdAt);
                CREATE INDEX workflowRun_tenant_status ON workflowRun (tenant, status, createdAt);
                CREATE TABLE runEvent (
                    runId TEXT NOT NULL REFERENCES workflowRun(id) ON DELETE CASCADE,
                    sequence INTEGER NOT NULL,
                    type TEXT NOT NULL,
                    node TEXT,
                    attempt INTEGER,
                    data TEXT NOT NULL,
                    at DATETIME NOT NULL,
                    PRIMARY KEY (runId, sequence)
                ) WITHOUT ROWID;
                """)
        }
        return migrator
    }

    public func create(_ run: RunRecord, events: [RunEvent.Draft], holder: String, leaseUntil: Date) async throws(ToolhostError) -> [RunEvent] {
        try await database.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM workflowRun WHERE id = ?", arguments: [run.id]) == true {
                throw ToolhostError(.conflict, "a run \"\(run.id)\" exists")
            }
            try db.execute(sql: """
                INSERT INTO workflowRun (id, tenant, caller, agent, workflow, workflowVersion, definition, input, status, traceId,
                                         createdAt, updatedAt, lastSequence, leaseHolder, leaseExpiresAt)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)
                """, arguments: [run.id, run.tenant, run.caller, run.agent, run.workflow, run.workflowVersion, run.definition.serialized(),
                                 run.input.serialized(), run.status.rawValue, run.traceID, run.createdAt, run.createdAt, holder, leaseUntil])
            return try Self.insert(events, into: run.id, after: 0, status: nil, in: db)
        }
    }

    public func append(_ events: [RunEvent.Draft], to runID: String, holder: String, status: RunStatus?) async throws(ToolhostError) -> [RunEvent] {
        try await database.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT lastSequence, leaseHolder, leaseExpiresAt FROM workflowRun WHERE id = ?", arguments: [runID]) else {
                throw ToolhostError(.notFound, "no run \"\(runID)\"")
            }
            let owner: String? = row["leaseHolder"]
            let expires: Date? = row["leaseExpiresAt"]
            // Fencing: a holder whose lease ran out may have been replaced; it must stop, not write.
            guard owner == holder, let expires, expires > Date() else {
                throw ToolhostError(.conflict, "run \(runID) is not held by \(holder)"
                                    + (owner.map { "; its lease is \($0)'s" + (expires.map { " until \($0.formatted(.iso8601))" } ?? "") } ?? ""))
            }
            return try Self.insert(events, into: runID, after: row["lastSequence"], status: status, in: db)
        }
    }

    private static func insert(_ drafts: [RunEvent.Draft], into runID: String, after last: Int, status: RunStatus?, in db: Database) throws -> [RunEvent] {
        let now = Date()
        var events: [RunEvent] = []
        for (offset, draft) in drafts.enumerated() {
            let event = RunEvent(type: draft.type, runID: runID, sequence: last + offset + 1, node: draft.node, attempt: draft.attempt,
                                 data: draft.data, at: now)
            try db.execute(sql: "INSERT INTO runEvent (runId, sequence, type, node, attempt, data, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           arguments: [runID, event.sequence, event.type, event.node, event.attempt, event.data.serialized(), now])
            events.append(event)
        }
        try db.execute(sql: "UPDATE workflowRun SET lastSequence = ?, updatedAt = ?, status = COALESCE(?, status) WHERE id = ?",
                       arguments: [last + drafts.count, now, status?.rawValue, runID])
        return events
    }

    public func events(of runID: String, after sequence: Int, limit: Int) async throws(ToolhostError) -> [RunEvent] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM runEvent WHERE runId = ? AND sequence > ? ORDER BY sequence LIMIT ?",
                             arguments: [runID, sequence, max(0, limit)]).map { row in
                RunEvent(type: row["type"], runID: runID, sequence: row["sequence"], node: row["node"], attempt: row["attempt"],
                         data: try JSONValue(parsing: row["data"] as String), at: row["at"])
            }
        }
    }

    public func run(id: String, tenant: String) async throws(ToolhostError) -> RunRecord {
        try await database.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM workflowRun WHERE id = ? AND tenant = ?", arguments: [id, tenant]) else {
                throw ToolhostError(.notFound, "no run \"\(id)\"")
            }
            return try Self.record(row)
        }
    }

    public func runs(tenant: String, status: RunStatus?, limit: Int) async throws(ToolhostError) -> [RunRecord] {
        try await database.read { db in
            let rows = status == nil
                ? try Row.fetchAll(db, sql: "SELECT * FROM workflowRun WHERE tenant = ? ORDER BY createdAt DESC LIMIT ?", arguments: [tenant, limit])
                : try Row.fetchAll(db, sql: "SELECT * FROM workflowRun WHERE tenant = ? AND status = ? ORDER BY createdAt DESC LIMIT ?",
                                   arguments: [tenant, status?.rawValue, limit])
            return try rows.map(Self.record)
        }
    }

    public func acquireLease(of runID: String, holder: String, until: Date, now: Date) async throws(ToolhostError) -> Bool {
        try await database.write { db in
            try db.execute(sql: """
                UPDATE workflowRun SET leaseHolder = ?, leaseExpiresAt = ?
                WHERE id = ? AND (leaseHolder IS NULL OR leaseHolder = ? OR leaseExpiresAt IS NULL OR leaseExpiresAt <= ?)
                """, arguments: [holder, until, runID, holder, now])
            if db.changesCount == 1 { return true }
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM workflowRun WHERE id = ?", arguments: [runID]) == true else {
                throw ToolhostError(.notFound, "no run \"\(runID)\"")
            }
            return false
        }
    }

    public func releaseLease(of runID: String, holder: String) async throws(ToolhostError) {
        try await database.write { db in
            try db.execute(sql: "UPDATE workflowRun SET leaseHolder = NULL, leaseExpiresAt = NULL WHERE id = ? AND leaseHolder = ?",
                           arguments: [runID, holder])
        }
    }

    private static func record(_ row: Row) throws -> RunRecord {
        var run = RunRecord(
            id: row["id"], tenant: row["tenant"], caller: row["caller"], agent: row["agent"], workflow: row["workflow"],
            workflowVersion: row["workflowVersion"], definition: try JSONValue(parsing: row["definition"] as String),
            input: try JSONValue(parsing: row["input"] as String), status: RunStatus(rawValue: row["status"]) ?? .failed,
            traceID: row["traceId"], createdAt: row["createdAt"])
        run.updatedAt = row["updatedAt"]
        run.lastSequence = row["lastSequence"]
        run.leaseHolder = row["leaseHolder"]
        run.leaseExpiresAt = row["leaseExpiresAt"]
        return run
    }
}
