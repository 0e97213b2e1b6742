import GRDB
import Storage

extension SQLiteCatalog {
    /// The counters the registry's caches compare (see ``Storage/SQLiteDatabase/changeCount(_:)``).
    enum ChangeCounter {
        /// Bumped by every change to a package or one of its versions: publish, yank, deprecate, built-in sync.
        static let catalog = "registry.catalog"
        /// Bumped by every change to an API key: created, revoked.
        static let keys = "registry.keys"
    }

    /// Triggers keep the counters in the transaction of every change, whoever writes it (a
    /// store of this process, another process, a later migration): nothing can forget to bump them.
    static func registerChangeCounters(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3: change counters for the registry's caches") { db in
            let table = SQLiteDatabase.changeCounterTable
            var sql = ""
            for (counter, watched) in [(ChangeCounter.catalog, ["package", "packageVersion"]), (ChangeCounter.keys, ["apiKey"])] {
                sql += "INSERT OR IGNORE INTO \(table) (name, value) VALUES ('\(counter)', 0);\n"
                for source in watched {
                    for event in ["INSERT", "UPDATE", "DELETE"] {
                        sql += """
                            CREATE TRIGGER \(source)_\(event.lowercased())_counts AFTER \(event) ON \(source)
                            BEGIN UPDATE \(table) SET value = value + 1 WHERE name = '\(counter)'; END;

                            """
                    }
                }
            }
            try db.execute(sql: sql)
        }
    }
}
