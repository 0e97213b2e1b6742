import GRDB

/// The host's tables (agents, approvals, circuit breakers) in the data directory's database,
/// under migrations of their own next to the catalog's and the trace store's.
enum HostMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("host v1: agents, approvals, circuit breakers") { db in
            try db.execute(sql: """
                CREATE TABLE agent (
                    id TEXT PRIMARY KEY NOT NULL,
                    tenant TEXT NOT NULL,
                    name TEXT NOT NULL,
                    maxPrivilege INTEGER NOT NULL CHECK (maxPrivilege BETWEEN 1 AND 5),
                    tools TEXT NOT NULL DEFAULT '[]',
                    approvalRequired TEXT NOT NULL DEFAULT '[]',
                    createdAt DATETIME NOT NULL,
                    createdBy TEXT NOT NULL,
                    UNIQUE (tenant, name)
                );
                CREATE TABLE approval (
                    id TEXT PRIMARY KEY NOT NULL,
                    tenant TEXT NOT NULL,
                    tool TEXT NOT NULL,
                    toolVersion TEXT NOT NULL,
                    input TEXT NOT NULL,
                    caller TEXT NOT NULL,
                    agent TEXT,
                    reason TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'rejected', 'expired', 'interrupted')),
                    createdAt DATETIME NOT NULL,
                    expiresAt DATETIME NOT NULL,
                    decidedBy TEXT,
                    decidedAt DATETIME,
                    decisionReason TEXT,
                    editedInput TEXT,
                    callId TEXT NOT NULL,
                    result TEXT
                );
                CREATE INDEX approval_tenant_status ON approval (tenant, status, createdAt);
                CREATE TABLE circuitBreaker (
                    tenant TEXT NOT NULL,
                    tool TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('closed', 'open', 'half_open')),
                    failures TEXT NOT NULL DEFAULT '[]',
                    openedAt DATETIME,
                    lastError TEXT,
                    updatedAt DATETIME NOT NULL,
                    PRIMARY KEY (tenant, tool)
                );
                """)
        }
        migrator.registerMigration("host v2: an approval keeps its call's workspace and trace") { db in
            try db.execute(sql: """
                ALTER TABLE approval ADD COLUMN workspace TEXT;
                ALTER TABLE approval ADD COLUMN traceId TEXT;
                ALTER TABLE approval ADD COLUMN parentSpanId TEXT;
                """)
        }
        migrator.registerMigration("host v3: a running approval has a runner and a lease") { db in
            try db.execute(sql: """
                ALTER TABLE approval ADD COLUMN runner TEXT;
                ALTER TABLE approval ADD COLUMN leaseExpiresAt DATETIME;
                """)
        }
        return migrator
    }
}
