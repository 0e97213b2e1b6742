import BuiltinTools
import Foundation
import GRDB
import Testing
import ToolhostCore

@Suite("sqlite_execute")
struct SQLiteExecuteTests {
    @Test("every manifest example holds")
    func examples() async throws {
        let failures = try await ExampleHarness().failures(of: "sqlite_execute")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    func rows(_ scratch: ScratchWorkspace, _ sql: String) throws -> [[DatabaseValue]] {
        let queue = try DatabaseQueue(path: scratch.url("app.db").path)
        defer { try? queue.close() }
        return try queue.read { db in try Row.fetchAll(db, sql: sql).map { Array($0.databaseValues) } }
    }

    @Test("in a transaction, a failing statement undoes the ones before it")
    func transactionRollsBack() async throws {
        let scratch = try ScratchWorkspace()
        defer { scratch.remove() }
        _ = try await scratch.run("sqlite_execute", ["path": "app.db", "sql": "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)"])
        guard let error = await scratch.failure("sqlite_execute", [
            "path": "app.db",
            "statements": [["sql": "INSERT INTO t (v) VALUES ('a')"], ["sql": "INSERT INTO t (v) VALUES ('a')"]],
        ]) else { return }
        #expect(error.kind == .invalidArgument)
        #expect(error.message.hasPrefix("statements[1].sql: "), "\(error)")
        #expect(try rows(scratch, "SELECT count(*) FROM t") == [[0.databaseValue]])
    }

    @Test("without a transaction each statement commits; the failure names the statement")
    func withoutTransaction() async throws {
        let scratch = try ScratchWorkspace()
        defer { scratch.remove() }
        guard let error = await scratch.failure("sqlite_execute", [
            "path": "app.db", "transaction": false,
            "statements": [
                ["sql": "CREATE TABLE t (v TEXT NOT NULL)"], ["sql": "INSERT INTO t VALUES (?)", "params": ["kept"]],
                ["sql": "INSERT INTO t VALUES (NULL)"],
            ],
        ]) else { return }
        #expect(error.message.hasPrefix("statements[2].sql: "), "\(error)")
        #expect(try rows(scratch, "SELECT v FROM t") == [["kept".databaseValue]])
    }

    @Test("changes count only rows changed by the statement; RETURNING rows respect maxRows")
    func changesAndReturning() async throws {
        let scratch = try ScratchWorkspace()
        defer { scratch.remove() }
        let output = try await scratch.run("sqlite_execute", [
            "path": "app.db", "maxRows": 2,
            "statements": [
                ["sql": "CREATE TABLE t (id INTEGER PRIMARY KEY, v REAL, b BLOB)"],
                ["sql": "INSERT INTO t (v, b) VALUES (0.5, x'01'), (1.5, NULL), (2.5, NULL) RETURNING id, v, b"],
                ["sql": "CREATE INDEX t_v ON t (v)"],
                ["sql": "SELECT count(*) AS n FROM t"],
            ],
        ])
        #expect(output == [
            "results": [
                ["changes": 0, "lastInsertRowid": 0, "columns": [], "rows": []],
                ["changes": 3, "lastInsertRowid": 3, "columns": ["id", "v", "b"], "rows": [[1, 0.5, ["base64": "AQ=="]], [2, 1.5, nil]]],
                ["changes": 0, "lastInsertRowid": 3, "columns": [], "rows": []],
                ["changes": 0, "lastInsertRowid": 3, "columns": ["n"], "rows": [[3]]],
            ],
            "totalChanges": 3,
        ])
        // All three RETURNING rows were inserted although only two were returned.
        #expect(try rows(scratch, "SELECT count(*) FROM t") == [[3.databaseValue]])
    }

    @Test("a missing database is created unless createIfMissing is false; a failed first call leaves no file")
    func creation() async throws {
        let scratch = try ScratchWorkspace()
        defer { scratch.remove() }
        await scratch.expectFailure(
            "sqlite_execute", ["path": "none.db", "sql": "CREATE TABLE t (a)", "createIfMissing": false], kind: .notFound, field: "path")
        await scratch.expectFailure("sqlite_execute", ["path": "bad.db", "sql": "CREATE TABLE ("], kind: .invalidArgument, field: "sql")
        #expect(!FileManager.default.fileExists(atPath: scratch.url("bad.db").path))
        #expect(!FileManager.default.fileExists(atPath: scratch.url("none.db").path))
    }

    @Test("ATTACH, VACUUM INTO, load_extension and journal PRAGMAs are denied; plain VACUUM works")
    func refusals() async throws {
        let scratch = try ScratchWorkspace()
        defer { scratch.remove() }
        _ = try await scratch.run("sqlite_execute", ["path": "app.db", "sql": "CREATE TABLE t (a)"])
        for sql in [
            "ATTACH DATABASE 'other.db' AS other", "ATTACH '/tmp/evil.db' AS evil", "VACUUM INTO 'copy.db'",
            "VACUUM INTO '/tmp/toolhost-escape.db'", "SELECT load_extension('/tmp/evil.so')", "PRAGMA journal_mode = WAL",
            "PRAGMA writable_schema = ON", "DETACH main",
        ] {
            await scratch.expectFailure("sqlite_execute", ["path": "app.db", "sql": .string(sql)], kind: .denied, field: "sql")
        }
        for name in ["other.db", "copy.db"] {
            #expect(!FileManager.default.fileExists(atPath: scratch.url(name).path))
        }
        #expect(!FileManager.default.fileExists(atPath: "/tmp/toolhost-escape.db"))
        let vacuum = try await scratch.run("sqlite_execute", ["path": "app.db", "sql": "VACUUM", "transaction": false])
        #expect(vacuum["totalChanges"] == 0)
        let pragma = try await scratch.run("sqlite_execute", ["path": "app.db", "sql": "PRAGMA user_version = 7"])
        #expect(pragma["results"]?[0]?["changes"] == 0)
        #expect(try rows(scratch, "PRAGMA user_version") == [[7.databaseValue]])
    }

    @Test("`..`, absolute paths and links out of the workspace are denied, naming path")
    func confinement() async throws {
        let scratch = try ScratchWorkspace()
        defer { scratch.remove() }
        await scratch.expectConfined("sqlite_execute", field: "path") { ["path": .string($0), "sql": "CREATE TABLE t (a)"] }
    }
}
