import BuiltinTools
import Foundation
import GRDB
import Registry
import Storage
import ToolhostCore

extension SQLiteHostStore: ApprovalStore {
    /// Persists a new pending approval.
    public func createApproval(_ approval: Approval) async throws(ToolhostError) {
        try await database.write { db in
            try db.execute(sql: """
                INSERT INTO approval (id, tenant, tool, toolVersion, input, caller, agent, reason, status, createdAt, expiresAt, callId,
                                      workspace, traceId, parentSpanId)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?)
                """, arguments: [approval.id, approval.tenant, approval.tool, approval.toolVersion, approval.input.serialized(),
                                 approval.caller, approval.agent, approval.reason, approval.createdAt, approval.expiresAt, approval.callId,
                                 approval.workspace, approval.traceId, approval.parentSpanId])
            try SQLiteAuditLog.record(in: db, tenant: approval.tenant, actor: approval.caller, action: "approval.requested",
                                    target: approval.id, detail: ["tool": .string(approval.tool), "reason": .string(approval.reason)])
        }
    }

    /// The approvals of `tenant`, newest first, optionally of one status. Pending approvals past
    /// their expiry are marked expired first, so a list never shows one that can no longer be approved.
    public func approvals(tenant: String, status: Approval.Status?, limit: Int = 100) async throws(ToolhostError) -> [Approval] {
        try await expireOverdue(now: Date())
        return try await database.read { db in
            var sql = "SELECT * FROM approval WHERE tenant = ?"
            var arguments: [any DatabaseValueConvertible] = [tenant]
            if let status {
                sql += " AND status = ?"
                arguments.append(status.rawValue)
            }
            sql += " ORDER BY createdAt DESC LIMIT ?"
            arguments.append(limit)
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map(Self.approval(from:))
        }
    }

    /// One approval of `tenant`.
    /// - Throws: ``ToolhostError`` `not_found`, also for another tenant's approval.
    public func approval(id: String, tenant: String) async throws(ToolhostError) -> Approval {
        try await expireOverdue(now: Date())
        return try await database.read { db in
            try Self.approval(id: id, tenant: tenant, in: db)
        }
    }

    /// Moves a pending approval to `running` in one transaction, so that two approvers racing (or a
    /// retried request) run the call at most once. The run belongs to `runner` (a host instance)
    /// until `leaseUntil`, after which no run can still be going (the tool's own time limit is shorter).
    /// - Throws: ``ToolhostError`` `not_found`, or `conflict` naming the approval's current status.
    public func claimApproval(id: String, tenant: String, by decider: String, reason: String?, editedInput: JSONValue?,
                              runner: String, leaseUntil: Date) async throws(ToolhostError) -> Approval {
        let now = Date()
        try await expireOverdue(now: now)
        return try await database.write { db in
            var approval = try Self.approval(id: id, tenant: tenant, in: db)
            guard approval.status == .pending else {
                throw ToolhostError(.conflict, "approval \(id) is \(approval.status.rawValue), not pending; it cannot be approved again")
            }
            try db.execute(sql: """
                UPDATE approval SET status = 'running', decidedBy = ?, decidedAt = ?, decisionReason = ?, editedInput = ?,
                                    runner = ?, leaseExpiresAt = ?
                WHERE id = ?
                """, arguments: [decider, now, reason, editedInput?.serialized(), runner, leaseUntil, id])
            try SQLiteAuditLog.record(in: db, tenant: tenant, actor: decider, action: "approval.approved", target: id,
                                    detail: ["tool": .string(approval.tool), "reason": reason.map(JSONValue.string) ?? .null,
                                             "inputEdited": .bool(editedInput != nil)])
            approval.status = .running
            approval.decidedBy = decider
            approval.decidedAt = now
            approval.decisionReason = reason
            approval.editedInput = editedInput
            return approval
        }
    }

    /// Stores the result of an approved call.
    public func completeApproval(id: String, result: ToolCallResult) async throws(ToolhostError) {
        try await database.write { db in
            try db.execute(sql: "UPDATE approval SET status = 'completed', result = ? WHERE id = ? AND status = 'running'",
                           arguments: [try Self.json(result), id])
        }
    }

    /// Puts a claimed approval back to pending (the approved run could not start, e.g. the edited
    /// input was invalid), so that it can be decided again.
    public func releaseApproval(id: String) async throws(ToolhostError) {
        try await database.write { db in
            try db.execute(sql: """
                UPDATE approval SET status = 'pending', decidedBy = NULL, decidedAt = NULL, decisionReason = NULL, editedInput = NULL
                WHERE id = ? AND status = 'running'
                """, arguments: [id])
        }
    }

    /// Rejects a pending approval.
    /// - Throws: ``ToolhostError`` `not_found`, or `conflict` when it is no longer pending.
    public func rejectApproval(id: String, tenant: String, by decider: String, reason: String?,
                               result: @escaping @Sendable (Approval) -> ToolCallResult) async throws(ToolhostError) -> Approval {
        let now = Date()
        try await expireOverdue(now: now)
        return try await database.write { db in
            var approval = try Self.approval(id: id, tenant: tenant, in: db)
            guard approval.status == .pending else {
                throw ToolhostError(.conflict, "approval \(id) is \(approval.status.rawValue), not pending; it cannot be rejected")
            }
            approval.decidedBy = decider
            approval.decisionReason = reason
            let answer = result(approval)
            try db.execute(sql: "UPDATE approval SET status = 'rejected', decidedBy = ?, decidedAt = ?, decisionReason = ?, result = ? WHERE id = ?",
                           arguments: [decider, now, reason, try Self.json(answer), id])
            approval.result = answer
            try SQLiteAuditLog.record(in: db, tenant: tenant, actor: decider, action: "approval.rejected", target: id,
                                    detail: ["tool": .string(approval.tool), "reason": reason.map(JSONValue.string) ?? .null])
            approval.status = .rejected
            approval.decidedBy = decider
            approval.decidedAt = now
            approval.decisionReason = reason
            return approval
        }
    }

    /// Marks as interrupted the running approvals whose runner is gone: its lease has run out, or
    /// `isGone` knows it stopped (they are not run again: their side effects may have happened).
    /// A run of a host that still works — a server next to which a CLI command opens the same data
    /// directory — is left alone. Returns the ids.
    public func interruptAbandonedApprovals(now: Date = Date(), isGone: @escaping @Sendable (String) -> Bool) async throws(ToolhostError) -> [String] {
        try await database.write { db in
            let rows = try Row.fetchAll(db, sql: "SELECT id, tenant, runner, leaseExpiresAt FROM approval WHERE status = 'running'")
            let abandoned = rows.filter { row in
                guard let runner: String = row["runner"], let lease: Date = row["leaseExpiresAt"] else { return true }
                return lease <= now || isGone(runner)
            }
            for row in abandoned {
                try db.execute(sql: "UPDATE approval SET status = 'interrupted' WHERE id = ? AND status = 'running'", arguments: [row["id"] as String])
                try SQLiteAuditLog.record(in: db, tenant: row["tenant"], actor: "system", action: "approval.interrupted", target: row["id"])
            }
            return abandoned.map { $0["id"] as String }
        }
    }

    public func expireOverdueApprovals(now: Date) async throws(ToolhostError) -> [String] {
        try await expireOverdue(now: now)
    }

    @discardableResult
    private func expireOverdue(now: Date) async throws(ToolhostError) -> [String] {
        let overdue = try await database.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM approval WHERE status = 'pending' AND expiresAt <= ? LIMIT 1", arguments: [now]) ?? false
        }
        guard overdue else { return [] }
        return try await database.write { db in
            let expired = try Row.fetchAll(db, sql: "SELECT * FROM approval WHERE status = 'pending' AND expiresAt <= ?", arguments: [now])
            for row in expired {
                let approval = try Self.approval(from: row)
                // The caller who fetches the approval finds an answer like any failed call's.
                let result = ToolCallResult.refused(
                    approval, kind: .approvalExpired,
                    message: "the call of \(approval.tool) was not approved before \(approval.expiresAt.formatted(.iso8601)); it did not run")
                try db.execute(sql: "UPDATE approval SET status = 'expired', result = ? WHERE id = ?", arguments: [try Self.json(result), approval.id])
                try SQLiteAuditLog.record(in: db, tenant: approval.tenant, actor: "system", action: "approval.expired", target: approval.id)
            }
            return expired.map { $0["id"] as String }
        }
    }

    /// One approval of `tenant` inside a transaction.
    /// - Throws: ``ToolhostError`` `not_found`, also for another tenant's approval.
    private static func approval(id: String, tenant: String, in db: Database) throws -> Approval {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM approval WHERE id = ? AND tenant = ?", arguments: [id, tenant]) else {
            throw ToolhostError(.notFound, "no approval \"\(id)\"")
        }
        return try approval(from: row)
    }

    static func approval(from row: Row) throws -> Approval {
        let result: String? = row["result"]
        let edited: String? = row["editedInput"]
        return Approval(
            id: row["id"], tenant: row["tenant"], tool: row["tool"], toolVersion: row["toolVersion"],
            input: try JSONValue(parsing: row["input"] as String), caller: row["caller"], agent: row["agent"], reason: row["reason"],
            status: Approval.Status(rawValue: row["status"]) ?? .pending, createdAt: row["createdAt"], expiresAt: row["expiresAt"],
            decidedBy: row["decidedBy"], decidedAt: row["decidedAt"], decisionReason: row["decisionReason"],
            editedInput: try edited.map { try JSONValue(parsing: $0) }, callId: row["callId"],
            result: try result.map { try decode(ToolCallResult.self, $0) },
            workspace: row["workspace"], traceId: row["traceId"], parentSpanId: row["parentSpanId"])
    }
}
