import BuiltinTools
import Foundation
import GRDB
import Testing
import ToolhostCore

/// What SQL must never reach inside the host process (issue 9, points 2, 4 and 9): the
/// fts3_tokenizer() pointer interface, host paths, and unbounded memory.
@Suite("SQLite tools keep SQL away from the host process")
struct SQLiteHardeningTests {
    @Test("fts3_tokenizer() is refused to sqlite_query and sqlite_execute, with and without a bound value")
    func fts3Tokenizer() async throws {
        let scratch = try SQLiteQueryTests.scratch()
        defer { scratch.remove() }
        // Debian's libsqlite3 is built with SQLITE_ENABLE_FTS3_TOKENIZER: the one-argument form
        // returns a pointer into the process, the two-argument form registers one.
        for (tool, input) in [
            ("sqlite_query", ["path": "data.db", "sql": "SELECT hex(fts3_tokenizer('simple'))"] as JSONValue),
            ("sqlite_execute", ["path": "data.db", "statements": [["sql": "SELECT fts3_tokenizer('evil', x'4141414141414141')"]]]),
            ("sqlite_execute", ["path": "data.db", "statements": [["sql": "SELECT fts3_tokenizer('evil', ?)", "params": ["AAAAAAAA"]]]]),
        ] {
            let failure = await scratch.failure(tool, input)
            #expect(failure?.kind == .denied, "\(tool): \(String(describing: failure))")
            #expect(failure?.message.contains("fts3_tokenizer") == true, "\(String(describing: failure))")
        }
        // A tokenizer that was never registered cannot be used; the process is still here to say so.
        let table = await scratch.failure(
            "sqlite_execute", ["path": "data.db", "statements": [["sql": "CREATE VIRTUAL TABLE f USING fts3(body, tokenize=evil)"]]])
        #expect(table?.kind == .invalidArgument, "\(String(describing: table))")
        // Ordinary full-text search still works.
        let fts = try await scratch.run("sqlite_execute", ["path": "data.db", "statements": [
            ["sql": "CREATE VIRTUAL TABLE g USING fts4(body)"], ["sql": "INSERT INTO g VALUES ('hello world')"],
            ["sql": "SELECT count(*) FROM g WHERE g MATCH 'hello'"],
        ]])
        #expect(fts["results"]?[2]?["rows"] == [[1]])
    }

    @Test("a view in a hostile database file cannot call fts3_tokenizer() either")
    func fts3TokenizerInSchema() async throws {
        let scratch = try SQLiteQueryTests.scratch()
        defer { scratch.remove() }
        let queue = try DatabaseQueue(path: scratch.url("data.db").path)
        try queue.inDatabase { db in try db.execute(sql: "CREATE VIEW leak AS SELECT hex(fts3_tokenizer('simple')) AS p") }
        try queue.close()
        let failure = await scratch.failure("sqlite_query", ["path": "data.db", "sql": "SELECT p FROM leak"])
        #expect(failure?.kind == .denied, "\(String(describing: failure))")
    }

    @Test("no host path reaches the caller: pragma database_list and error messages name workspace paths only")
    func noHostPaths() async throws {
        let scratch = try SQLiteQueryTests.scratch()
        defer { scratch.remove() }
        let listed = try await scratch.run("sqlite_query", ["path": "data.db", "sql": "SELECT file FROM pragma_database_list"])
        let text = listed.serialized()
        #expect(!text.contains(scratch.root.path), "\(text)")
        #expect(!text.contains(FileManager.default.temporaryDirectory.path), "\(text)")
        #expect(text.contains("data.db"), "\(text)")
        try scratch.put("bad.db", "this is not a database, it is a text file of some length\n")
        let failure = await scratch.failure("sqlite_query", ["path": "bad.db", "sql": "SELECT 1"])
        #expect(failure?.message.contains(scratch.root.path) == false, "\(String(describing: failure))")
    }

    @Test("a 900 MB randomblob ends with memory_limit at once, and the process does not grow")
    func blobBomb() async throws {
        let scratch = try SQLiteQueryTests.scratch()
        defer { scratch.remove() }
        let limits = ToolLimits(timeoutMs: 30_000, memoryBytes: 512 << 20, outputBytes: 20 << 20)
        let start = ContinuousClock.now
        do {
            _ = try await scratch.run("sqlite_query", ["path": "data.db", "sql": "SELECT length(randomblob(900000000))"], limits: limits)
            Issue.record("the randomblob bomb succeeded")
        } catch {
            #expect(error.kind == .memoryLimit, "\(error)")
            #expect(error.message.contains("bytes"), "\(error)")
        }
        #expect(ContinuousClock.now - start < .seconds(5))
    }

    @Test("a sort that keeps many large values in memory stops at the tool's memory limit")
    func sortBomb() async throws {
        let scratch = try SQLiteQueryTests.scratch()
        defer { scratch.remove() }
        let limits = ToolLimits(timeoutMs: 30_000, memoryBytes: 64 << 20, outputBytes: 1 << 20)
        let sql = """
            WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 100)
            SELECT count(*) FROM (SELECT randomblob(4000000) AS b FROM c ORDER BY b)
            """
        do {
            let output = try await scratch.run("sqlite_query", ["path": "data.db", "sql": .string(sql)], limits: limits)
            Issue.record("a 400 MB sort under a 64 MB limit succeeded: \(output)")
        } catch {
            #expect(error.kind == .memoryLimit, "\(error)")
        }
    }
}
