import BuiltinTools
import Foundation
import Sandbox
import Testing
import ToolhostCore

/// Issue 9, point 5, for the built-ins: they write in the server's own process, so they check the
/// workspace's quota before they write (or, when the size shows only afterwards, undo the write).
@Suite("Workspace quotas hold for built-in tools")
struct WorkspaceQuotaToolsTests {
    /// 10,000 bytes and 20 entries; the scratch workspace's two fixture links count 13 bytes and 2 entries.
    static let quota = WorkspaceQuota(bytes: 10_000, entries: 20)

    static func randomBytes(_ count: Int) -> Data {
        Data((0..<count).map { _ in UInt8.random(in: 0...255) })
    }

    @Test("file_write refuses what would not fit, naming the quota; replacing a file counts only the difference")
    func fileWrite() async throws {
        let scratch = try ScratchWorkspace(quota: Self.quota)
        defer { scratch.remove() }
        _ = try await scratch.run("file_write", ["path": "a.txt", "content": .string(String(repeating: "a", count: 8000))])
        let refused = await scratch.failure("file_write", ["path": "b.txt", "content": .string(String(repeating: "b", count: 3000))])
        #expect(refused?.kind == .workspaceQuota)
        #expect(refused?.message.hasPrefix("path: writing 3000 bytes would take the workspace to 11013 bytes, over its quota of 10000 bytes") == true,
                "\(refused?.message ?? "")")
        #expect(!FileManager.default.fileExists(atPath: scratch.url("b.txt").path))
        let appended = await scratch.failure("file_write", ["path": "a.txt", "content": .string(String(repeating: "c", count: 3000)), "mode": "append"])
        #expect(appended?.kind == .workspaceQuota)
        #expect(try scratch.contents("a.txt").count == 8000)
        let replaced = try await scratch.run("file_write", ["path": "a.txt", "content": .string(String(repeating: "d", count: 9000)), "mode": "overwrite"])
        #expect(replaced["size"] == 9000)
    }

    @Test("file_write refuses a new file once the workspace holds its quota of entries")
    func entries() async throws {
        let scratch = try ScratchWorkspace(quota: WorkspaceQuota(bytes: 1 << 20, entries: 5))
        defer { scratch.remove() }
        for index in 0..<3 { _ = try await scratch.run("file_write", ["path": .string("f\(index)"), "content": "x"]) }
        let refused = await scratch.failure("file_write", ["path": "f3", "content": "x"])
        #expect(refused?.kind == .workspaceQuota)
        #expect(refused?.message.contains("over its quota of 5") == true, "\(refused?.message ?? "")")
        // Rewriting an existing file adds no entry.
        _ = try await scratch.run("file_write", ["path": "f0", "content": "y", "mode": "overwrite"])
    }

    @Test("archive extract refuses an archive whose content would not fit, and leaves nothing behind")
    func extract() async throws {
        let source = try ScratchWorkspace()
        defer { source.remove() }
        for index in 0..<3 { try source.put("src/f\(index)", Self.randomBytes(4000)) }
        _ = try await source.run("archive", ["operation": "create", "archive": "a.zip", "paths": ["src"]])
        let scratch = try ScratchWorkspace(quota: WorkspaceQuota(bytes: 20_000, entries: 20))
        defer { scratch.remove() }
        try scratch.put("a.zip", try source.contents("a.zip"))
        let refused = await scratch.failure("archive", ["operation": "extract", "archive": "a.zip", "destination": "copy"])
        #expect(refused?.kind == .workspaceQuota, "\(String(describing: refused))")
        #expect(refused?.message.hasPrefix("destination: writing 12000 bytes") == true, "\(refused?.message ?? "")")
        #expect(!FileManager.default.fileExists(atPath: scratch.url("copy").path))
    }

    @Test("archive create removes an archive that takes the workspace past its quota")
    func create() async throws {
        let scratch = try ScratchWorkspace(quota: Self.quota)
        defer { scratch.remove() }
        try scratch.put("src/data", Self.randomBytes(6000))
        let refused = await scratch.failure("archive", ["operation": "create", "archive": "a.tar.gz", "paths": ["src"]])
        #expect(refused?.kind == .workspaceQuota, "\(String(describing: refused))")
        #expect(refused?.message.contains("over its quota of 10000 bytes; nothing was written") == true, "\(refused?.message ?? "")")
        #expect(!FileManager.default.fileExists(atPath: scratch.url("a.tar.gz").path))
    }

    @Test("sqlite_execute cannot grow a database past the bytes left: workspace_quota, rolled back; small writes still work")
    func sqlite() async throws {
        let scratch = try ScratchWorkspace(quota: WorkspaceQuota(bytes: 200_000, entries: 20))
        defer { scratch.remove() }
        _ = try await scratch.run("sqlite_execute", ["path": "db.sqlite", "sql": "CREATE TABLE t (b BLOB)"])
        let refused = await scratch.failure("sqlite_execute", ["path": "db.sqlite", "sql": "INSERT INTO t VALUES (randomblob(500000))"])
        #expect(refused?.kind == .workspaceQuota, "\(String(describing: refused))")
        #expect(refused?.message.contains("bytes left of the workspace's quota") == true, "\(refused?.message ?? "")")
        let denied = await scratch.failure("sqlite_execute", ["path": "db.sqlite", "sql": "PRAGMA max_page_count = 1000000"])
        #expect(denied?.kind == .denied)
        _ = try await scratch.run("sqlite_execute", ["path": "db.sqlite", "sql": "INSERT INTO t VALUES (randomblob(1000))"])
        let count = try await scratch.run("sqlite_query", ["path": "db.sqlite", "sql": "SELECT count(*) AS n FROM t"])
        #expect(count["rows"] == [[1]], "\(count)")
        #expect((try FileManager.default.attributesOfItem(atPath: scratch.url("db.sqlite").path)[.size] as? Int ?? 0) < 200_000)
    }

    @Test("python_exec in a workspace with a quota: writing past it ends with outcome workspace_quota")
    func pythonExec() async throws {
        let root = ExecFixture.workspaceDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = try await ExecFixture.call(
            "python_exec", ["code": "open('big', 'wb').write(b'x' * 3_000_000)"], in: root, quota: WorkspaceQuota(bytes: 1 << 20, entries: 100))
        #expect(output["outcome"] == "workspace_quota", "\(output)")
        #expect(output["message"]?.stringValue?.contains("quota") == true, "\(output)")
        let size = (try FileManager.default.attributesOfItem(atPath: root.appendingPathComponent("big").path)[.size] as? Int) ?? 0
        #expect(size <= 1 << 20)
    }
}
