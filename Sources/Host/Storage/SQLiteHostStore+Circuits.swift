import Foundation
import GRDB
import Storage
import ToolhostCore

extension SQLiteHostStore: CircuitStateStore {
    public func circuitStates() async throws(ToolhostError) -> [CircuitState] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM circuitBreaker").map { row in
                CircuitState(tenant: row["tenant"], tool: row["tool"], state: CircuitState.State(rawValue: row["state"]) ?? .closed,
                             recentFailures: try Self.decode([Date].self, row["failures"]), openedAt: row["openedAt"],
                             lastError: row["lastError"], retryAfter: nil)
            }
        }
    }

    public func saveCircuitState(_ state: CircuitState) async throws(ToolhostError) {
        try await database.write { db in
            try db.execute(sql: """
                INSERT INTO circuitBreaker (tenant, tool, state, failures, openedAt, lastError, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (tenant, tool) DO UPDATE SET state = excluded.state, failures = excluded.failures,
                    openedAt = excluded.openedAt, lastError = excluded.lastError, updatedAt = excluded.updatedAt
                """, arguments: [state.tenant, state.tool, state.state.rawValue, try Self.json(state.recentFailures),
                                 state.openedAt, state.lastError, Date()])
        }
    }
}
