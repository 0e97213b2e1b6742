import BuiltinTools
import Foundation
import GRDB
import Testing
import ToolhostCore

@Suite("sqlite_query")
struct SQLiteQueryTests {
    @Test("every manifest example holds")
    func examples() async throws {
        let failures = try await ExampleHarness().failures(of: "sqlite_query")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    /// A workspace with `data.db`: table t(i INTEGER, r REAL, s TEXT, b BLOB, n) and 3 rows.
    static func scratch() throws -> ScratchWorkspace {
        let scratch = try ScratchWorkspace()
        let queue = try DatabaseQueue(path: scratch.url("data.db").path)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n)")
            try db.execute(sql: "INSERT INTO t VALUES (1, 1.5, 'one', x'00ff', NULL), (2, -0.25, 'två', x'', NULL), (3, 1e300, '', NULL, 7)")
        }
        try queue.close()
        return scratch
    }

    @Test("values map INTEGER, REAL, TEXT, NULL and BLOB to JSON, in column order")
    func valueMapping() async throws {
        let scratch = try Self.scratch()
        defer { scratch.remove() }
        let output = try await scratch.run("sqlite_query", ["path": "data.db", "sql": "SELECT i, r, s, b, n, i * 2 AS twice FROM t ORDER BY i;"])
        #expect(output == [
            "columns": ["i", "r", "s", "b", "n", "twice"],
            "rows": [
                [1, 1.5, "one", ["base64": "AP8="], nil, 2],
                [2, -0.25, "två", ["base64": ""], nil, 4],
                [3, 1e300, "", nil, 7, 6],
            ],
            "rowCount": 3, "truncated": false,
        ])
    }

    @Test("maxRows truncates; named, numbered and boolean parameters bind")
    func paramsAndLimits() async throws {
        let scratch = try Self.scratch()
        defer { scratch.remove() }
        let limited = try await scratch.run("sqlite_query", ["path": "data.db", "sql": "SELECT i FROM t ORDER BY i", "maxRows": 2])
        #expect(limited == ["columns": ["i"], "rows": [[1], [2]], "rowCount": 2, "truncated": true])
        let named = try await scratch.run(
            "sqlite_query",
            ["path": "data.db", "sql": "SELECT $a + @b + :c AS s, :a AS again, :d IS NULL", "params": ["a": 1, "b": 2.5, "c": true, "d": nil]])
        #expect(named["rows"] == [[4.5, 1, 1]])
        #expect(named["columns"] == ["s", "again", ":d IS NULL"])
    }

    @Test("the wrong number of parameters, several statements and syntax errors name the field")
    func badInput() async throws {
        let scratch = try Self.scratch()
        defer { scratch.remove() }
        await scratch.expectFailure("sqlite_query", ["path": "data.db", "sql": "SELECT ?, ?", "params": [1]], kind: .invalidArgument, field: "params")
        await scratch.expectFailure(
            "sqlite_query", ["path": "data.db", "sql": "SELECT :a", "params": ["b": 1]],
            kind: .invalidArgument, field: "params")
        await scratch.expectFailure("sqlite_query", ["path": "data.db", "sql": "SELECT 1; SELECT 2"], kind: .invalidArgument, field: "sql")
        await scratch.expectFailure("sqlite_query", ["path": "data.db", "sql": "SELEC 1"], kind: .invalidArgument, field: "sql")
        await scratch.expectFailure("sqlite_query", ["path": "data.db", "sql": "-- nothing"], kind: .invalidArgument, field: "sql")
        await scratch.expectFailure("sqlite_query", ["path": "missing.db", "sql": "SELECT 1"], kind: .notFound, field: "path")
        try scratch.put("text.db", String(repeating: "not a database ", count: 100))
        await scratch.expectFailure("sqlite_query", ["path": "text.db", "sql": "SELECT 1"], kind: .invalidArgument, field: "path")
        let sum = try await scratch.run("sqlite_query", ["path": "data.db", "sql": "SELECT ?1 + ?1, ? IS NULL", "params": [20, nil]])
        #expect(sum["rows"] == [[40, 1]])
    }

    @Test("writes, ATTACH, load_extension and setting PRAGMAs are refused; the file is unchanged")
    func readOnly() async throws {
        let scratch = try Self.scratch()
        defer { scratch.remove() }
        let before = try scratch.contents("data.db")
        for sql in ["DELETE FROM t", "INSERT INTO t (i) VALUES (9)", "CREATE TABLE x (a)", "DROP TABLE t", "UPDATE t SET i = 0"] {
            await scratch.expectFailure("sqlite_query", ["path": "data.db", "sql": .string(sql)], kind: .invalidArgument, field: "sql")
        }
        for sql in [
            "ATTACH DATABASE '/etc/passwd' AS other", "ATTACH 'x.db' AS x", "DETACH main", "SELECT load_extension('/tmp/evil.so')",
            "PRAGMA query_only = 0", "PRAGMA journal_mode = DELETE", "PRAGMA user_version = 5",
        ] {
            await scratch.expectFailure("sqlite_query", ["path": "data.db", "sql": .string(sql)], kind: .denied, field: "sql")
        }
        #expect(try scratch.contents("data.db") == before)
        #expect(!FileManager.default.fileExists(atPath: scratch.url("x.db").path))
        let info = try await scratch.run("sqlite_query", ["path": "data.db", "sql": "PRAGMA table_info(t)"])
        #expect(info["rowCount"] == 5)
        let version = try await scratch.run("sqlite_query", ["path": "data.db", "sql": "PRAGMA user_version"])
        #expect(version["rows"] == [[0]])
    }

    @Test("a query that runs past the time limit is stopped with timeout")
    func timeLimit() async throws {
        let scratch = try Self.scratch()
        defer { scratch.remove() }
        let sql = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
        do {
            _ = try await scratch.run("sqlite_query", ["path": "data.db", "sql": .string(sql)], limits: ToolLimits(timeoutMs: 200))
            Issue.record("the endless query returned")
        } catch {
            #expect(error.kind == .timeout)
            #expect(error.message.hasPrefix("sql:"))
        }
    }

    @Test("`..`, absolute paths and links out of the workspace are denied, naming path")
    func confinement() async throws {
        let scratch = try Self.scratch()
        defer { scratch.remove() }
        await scratch.expectConfined("sqlite_query", field: "path") { ["path": .string($0), "sql": "SELECT 1"] }
        try FileManager.default.createSymbolicLink(atPath: scratch.url("alias.db").path, withDestinationPath: "data.db")
        let viaLink = try await scratch.run("sqlite_query", ["path": "alias.db", "sql": "SELECT count(*) FROM t"])
        #expect(viaLink["rows"] == [[3]])
    }
}
