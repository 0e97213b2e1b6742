import BuiltinTools
import Foundation
import GRDB
import Testing
import ToolhostCore

/// The attack of issue 9, point 1: code that can write into a workspace (a `python_exec` run) keeps
/// exchanging a directory with a symbolic link to another tenant's files while the file-touching
/// built-ins work on a path through that directory. A built-in that checks a path and then opens it
/// again by name can be redirected out of the workspace; one that resolves every open from the
/// workspace's descriptor cannot.
///
/// The swapper is a real process (`/usr/bin/python3` calling `renameat2(RENAME_EXCHANGE)` in a loop),
/// as a sandboxed run would be; it runs beside the workspace rather than in the sandbox so that the
/// test does not depend on the sandbox being usable here.
@Suite("built-ins never leave the workspace while a link is swapped in", .serialized)
struct WorkspaceRaceTests {
    /// Seconds of swapping per case (`TOOLHOST_RACE_SECONDS`, default 8).
    static let seconds = Double(ProcessInfo.processInfo.environment["TOOLHOST_RACE_SECONDS"] ?? "") ?? 8

    /// What another tenant's files hold; no call may ever return or change it.
    static let marker = "OUTSIDE-SECRET"

    /// `base/ws` is the workspace, with `race/real` a directory and `race/swap` a link to
    /// `base/other/real` (another tenant's directory with the same file names).
    struct Arena {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("toolhost-race-\(UUID().uuidString)")
        var workspaceRoot: URL { base.appendingPathComponent("ws") }
        var outside: URL { base.appendingPathComponent("other/real") }
        var inside: URL { workspaceRoot.appendingPathComponent("race/real") }

        func build() throws -> Workspace {
            for (directory, text) in [(inside, "inside"), (outside, WorkspaceRaceTests.marker)] {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try Data("\(text)\n".utf8).write(to: directory.appendingPathComponent("notes.txt"))
                try Data("who\n\(text)\n".utf8).write(to: directory.appendingPathComponent("data.csv"))
                let pdf = WorkspaceRaceTests.pdf(saying: text == "inside" ? "inside" : WorkspaceRaceTests.marker)
                try Data(pdf).write(to: directory.appendingPathComponent("doc.pdf"))
                for (name, wal) in [("secret.db", false), ("wal.db", true)] {
                    let queue = try DatabaseQueue(path: directory.appendingPathComponent(name).path)
                    try queue.writeWithoutTransaction { db in
                        if wal { try db.execute(sql: "PRAGMA journal_mode = WAL") }
                        try db.execute(sql: "CREATE TABLE whose (v TEXT)")
                        try db.execute(sql: "INSERT INTO whose VALUES (?)", arguments: [text])
                    }
                    try queue.close()
                }
            }
            try FileManager.default.createSymbolicLink(
                atPath: workspaceRoot.appendingPathComponent("race/swap").path, withDestinationPath: outside.path)
            return try Workspace(root: workspaceRoot)
        }

        /// Every file below `outside` with its bytes: what must be the same after the race.
        func outsideSnapshot() throws -> [String: Data] {
            var files: [String: Data] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: outside.path) {
                files[name] = try Data(contentsOf: outside.appendingPathComponent(name))
            }
            return files
        }
    }

    /// A one-page PDF whose text is `text`.
    static func pdf(saying text: String) -> [UInt8] {
        var pdf = TestPDFWriter()
        pdf.add(1, "<< /Type /Catalog /Pages 2 0 R >>")
        pdf.add(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
        pdf.add(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>")
        pdf.addStream(4, "", "BT /F1 12 Tf 72 720 Td (\(text)) Tj ET")
        pdf.add(5, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
        return pdf.bytes(root: 1)
    }

    /// Starts the swapper: exchanges `race/real` and `race/swap` until killed or `seconds` (plus
    /// a margin) have passed. It runs at nice 10 and ends by itself, so that it never takes a core
    /// from the other suites running beside this one for longer than the race.
    static func startSwapper(in directory: URL, seconds: Double) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", """
            import ctypes, os, sys, time
            libc = ctypes.CDLL(None, use_errno=True)
            os.nice(10)
            os.chdir(sys.argv[1])
            end = time.monotonic() + float(sys.argv[2])
            while time.monotonic() < end:
                for _ in range(1000):
                    libc.renameat2(-100, b"real", -100, b"swap", 2)
            """, directory.path, String(seconds + 5)]
        try process.run()
        return process
    }

    /// The calls of the race, one per tool and kind of access, all through `race/real`.
    static let calls: [(tool: String, input: JSONValue)] = [
        ("sqlite_query", ["path": "race/real/secret.db", "sql": "SELECT v FROM whose"]),
        ("sqlite_query", ["path": "race/real/wal.db", "sql": "SELECT v FROM whose"]),
        ("sqlite_query", ["path": "race/real/secret.db", "sql": "SELECT file FROM pragma_database_list"]),
        ("sqlite_execute", ["path": "race/real/secret.db", "statements": [["sql": "INSERT INTO whose VALUES ('written')"]]]),
        ("sqlite_execute", ["path": "race/real/wal.db", "statements": [["sql": "INSERT INTO whose VALUES ('written')"]]]),
        ("file_read", ["path": "race/real/notes.txt"]),
        ("file_write", ["path": "race/real/new.txt", "content": "written", "mode": "overwrite"]),
        ("csv_query", ["path": "race/real/data.csv"]),
        ("pdf_extract_text", ["path": "race/real/doc.pdf"]),
        ("archive", ["operation": "create", "archive": "race/real/out.zip", "paths": ["race/real/notes.txt"]]),
        ("archive", ["operation": "list", "archive": "race/real/out.zip"]),
        ("file_search", ["directory": "race/real", "pattern": "SECRET"]),
    ]

    @Test("a directory swapped with a link to another tenant's files never redirects a file-touching built-in")
    func swapRace() async throws {
        let arena = Arena()
        defer { try? FileManager.default.removeItem(at: arena.base) }
        let workspace = try arena.build()
        let before = try arena.outsideSnapshot()
        let swapper = try Self.startSwapper(in: workspace.root.appendingPathComponent("race"), seconds: Self.seconds)
        // SIGKILL: the child inherits the test thread's signal mask, which may block SIGTERM.
        defer { kill(swapper.processIdentifier, SIGKILL) }

        var succeeded: [String: Int] = [:]
        var refused: [String: Int] = [:]
        var escapes: [String] = []
        let deadline = Date().addingTimeInterval(Self.seconds)
        var rounds = 0
        // At least three whole rounds, however loaded the machine, then until the deadline.
        while rounds < 3 || Date() < deadline {
            rounds += 1
            for (tool, input) in Self.calls where rounds <= 3 || Date() < deadline {
                let handler = try #require(BuiltinToolbox.handler(named: tool))
                do {
                    // On the built-ins' own threads, as the host runs them: the loop would otherwise
                    // hold a thread of the cooperative pool, which the suites beside it need, for the whole race.
                    let output = try await withTaskExecutorPreference(BuiltinExecutor.shared) { () async throws(ToolFailure) -> JSONValue in
                        try await handler.run(input, in: ToolContext(workspace: workspace))
                    }
                    let text = output.serialized()
                    if text.contains(Self.marker) || text.contains(arena.base.path) { escapes.append("\(tool): \(text.prefix(300))") }
                    succeeded["\(tool) \(input)", default: 0] += 1
                } catch {
                    // Refusals are fine (the path went through a link at that moment); an error
                    // that shows the other tenant's data or a host path is not.
                    if error.message.contains(Self.marker) || error.message.contains(arena.base.path) {
                        escapes.append("\(tool): \(error)")
                    }
                    refused[tool, default: 0] += 1
                }
            }
        }
        kill(swapper.processIdentifier, SIGKILL)
        swapper.waitUntilExit()

        #expect(escapes.isEmpty, "\(escapes.count) calls reached outside the workspace:\n\(escapes.prefix(5).joined(separator: "\n"))")
        #expect(try arena.outsideSnapshot() == before, "another tenant's files changed")
        // The race was real: calls went through the directory and met the link. (Which call meets
        // which state depends on timing, so the counts are overall, not per call.)
        #expect(succeeded.values.reduce(0, +) > 0, "no call ever went through the directory")
        #expect(refused.values.reduce(0, +) > 0, "no call ever met the link; the swapper did not run")
    }
}
