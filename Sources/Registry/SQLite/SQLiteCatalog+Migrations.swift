import GRDB

extension SQLiteCatalog {
    /// The catalog's schema, one migration per change; applied migrations are never edited.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: packages, versions, tools, search") { db in
            try db.execute(sql: """
                CREATE TABLE package (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    namespace TEXT NOT NULL,
                    isBuiltin BOOLEAN NOT NULL,
                    createdAt DATETIME NOT NULL,
                    -- The version that searches and unpinned calls see: highest release that is not
                    -- yanked (or highest prerelease when there is no release). Kept by the writer,
                    -- because SemVer precedence cannot be expressed as an SQL ORDER BY.
                    latestVersionId INTEGER
                );
                CREATE INDEX package_namespace ON package(namespace);

                CREATE TABLE packageVersion (
                    id INTEGER PRIMARY KEY,
                    packageId INTEGER NOT NULL REFERENCES package(id) ON DELETE CASCADE,
                    version TEXT NOT NULL,
                    manifest TEXT NOT NULL,
                    yanked BOOLEAN NOT NULL DEFAULT 0,
                    deprecationMessage TEXT,
                    publishedAt DATETIME NOT NULL,
                    UNIQUE (packageId, version)
                );
                -- Published versions are immutable: only the yanked and deprecation marks may change.
                CREATE TRIGGER packageVersion_immutable
                BEFORE UPDATE OF packageId, version, manifest, publishedAt ON packageVersion
                BEGIN
                    SELECT RAISE(ABORT, 'package versions are immutable');
                END;

                CREATE TABLE tool (
                    id INTEGER PRIMARY KEY,
                    versionId INTEGER NOT NULL REFERENCES packageVersion(id) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    qualifiedName TEXT NOT NULL,
                    title TEXT NOT NULL,
                    description TEXT NOT NULL,
                    keywords TEXT NOT NULL,
                    privilegeLevel INTEGER NOT NULL CHECK (privilegeLevel BETWEEN 1 AND 5),
                    readOnly BOOLEAN NOT NULL,
                    destructive BOOLEAN NOT NULL,
                    idempotent BOOLEAN NOT NULL,
                    openWorld BOOLEAN NOT NULL,
                    definition TEXT NOT NULL,
                    UNIQUE (versionId, name)
                );
                CREATE INDEX tool_qualifiedName ON tool(qualifiedName);

                -- Capability index: every property the input and output schemas declare.
                CREATE TABLE toolProperty (
                    toolId INTEGER NOT NULL REFERENCES tool(id) ON DELETE CASCADE,
                    direction TEXT NOT NULL CHECK (direction IN ('input', 'output')),
                    path TEXT NOT NULL,
                    type TEXT,
                    required BOOLEAN NOT NULL
                );
                CREATE INDEX toolProperty_lookup ON toolProperty(direction, path, type);
                CREATE INDEX toolProperty_tool ON toolProperty(toolId);

                -- Full-text search; rowid is tool.id. Porter stemming so "hashing" finds "hash".
                CREATE VIRTUAL TABLE toolSearch USING fts5(
                    name, title, description, keywords, tokenize = 'porter unicode61'
                );
                CREATE TRIGGER tool_indexForSearch AFTER INSERT ON tool BEGIN
                    INSERT INTO toolSearch(rowid, name, title, description, keywords)
                    VALUES (new.id, new.qualifiedName, new.title, new.description, new.keywords);
                END;
                CREATE TRIGGER tool_unindexForSearch AFTER DELETE ON tool BEGIN
                    DELETE FROM toolSearch WHERE rowid = old.id;
                END;
                """)
        }
        registerServiceMigration(in: &migrator)
        registerChangeCounters(in: &migrator)
        return migrator
    }
}
