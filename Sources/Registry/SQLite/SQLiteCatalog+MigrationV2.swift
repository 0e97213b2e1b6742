import GRDB

extension SQLiteCatalog {
    /// Tenants, API keys, namespaces with their signing keys, package ownership and visibility,
    /// archive integrity columns, and the audit trail.
    static func registerServiceMigration(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2: tenants, keys, namespaces, publishing, audit") { db in
            try db.execute(sql: """
                CREATE TABLE tenant (
                    name TEXT PRIMARY KEY,
                    createdAt DATETIME NOT NULL
                );
                INSERT INTO tenant (name, createdAt) VALUES ('local', CURRENT_TIMESTAMP);

                -- Only a hash of each key's secret is stored; the secret is shown once, at creation.
                CREATE TABLE apiKey (
                    id TEXT PRIMARY KEY,
                    tenant TEXT NOT NULL REFERENCES tenant(name),
                    secretHash TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    maxPrivilege INTEGER NOT NULL CHECK (maxPrivilege BETWEEN 1 AND 5),
                    scopes TEXT NOT NULL,
                    createdAt DATETIME NOT NULL,
                    revokedAt DATETIME
                );

                -- A namespace belongs to the tenant that first published in it.
                CREATE TABLE namespace (
                    name TEXT PRIMARY KEY,
                    tenant TEXT NOT NULL REFERENCES tenant(name),
                    createdAt DATETIME NOT NULL
                );
                CREATE TABLE signingKey (
                    namespace TEXT NOT NULL REFERENCES namespace(name),
                    publicKey TEXT NOT NULL,
                    fingerprint TEXT NOT NULL,
                    addedBy TEXT NOT NULL,
                    createdAt DATETIME NOT NULL,
                    PRIMARY KEY (namespace, fingerprint)
                );

                ALTER TABLE package ADD COLUMN tenant TEXT NOT NULL DEFAULT 'local';
                ALTER TABLE package ADD COLUMN visibility TEXT NOT NULL DEFAULT 'public'
                    CHECK (visibility IN ('public', 'private'));
                ALTER TABLE packageVersion ADD COLUMN sha256 TEXT;
                ALTER TABLE packageVersion ADD COLUMN size INTEGER;
                ALTER TABLE packageVersion ADD COLUMN signature TEXT;
                ALTER TABLE packageVersion ADD COLUMN signingKey TEXT;
                ALTER TABLE packageVersion ADD COLUMN publisherKey TEXT;
                ALTER TABLE packageVersion ADD COLUMN yankReason TEXT;
                CREATE INDEX packageVersion_sha256 ON packageVersion(sha256);

                CREATE TABLE auditEvent (
                    id INTEGER PRIMARY KEY,
                    at DATETIME NOT NULL,
                    tenant TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    target TEXT NOT NULL,
                    detail TEXT,
                    remoteAddress TEXT
                );
                CREATE INDEX auditEvent_at ON auditEvent(at);
                """)
        }
    }
}
