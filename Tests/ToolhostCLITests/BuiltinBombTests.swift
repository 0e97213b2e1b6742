import Foundation
import TestSupport
import Testing
import ToolhostCore

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Issue 9, point 4, against the real server: built-ins run inside the server process, so a small
/// request that decompresses or computes into something huge must end with a named limit while the
/// server keeps answering everyone else.
@Suite("built-in bombs against the real server", .serialized)
struct BuiltinBombTests {
    /// A PDF of a few hundred KB whose one content stream inflates to 250 MB, base64, made by the
    /// system python3 (zlib), as an attacker would make it.
    static func inflateBombPDF() async throws -> String {
        let script = """
            import base64, sys, zlib
            content = zlib.compress(b"BT /F1 12 Tf 72 720 Td (boom) Tj ET\\n" * (250_000_000 // 36), 9)
            objects = [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
                b"<< /Length %d /Filter /FlateDecode >>\\nstream\\n" % len(content) + content + b"\\nendstream",
            ]
            out, offsets = b"%PDF-1.4\\n", []
            for number, body in enumerate(objects, 1):
                offsets.append(len(out))
                out += b"%d 0 obj\\n" % number + body + b"\\nendobj\\n"
            xref = len(out)
            out += b"xref\\n0 %d\\n0000000000 65535 f \\n" % (len(objects) + 1)
            out += b"".join(b"%010d 00000 n \\n" % offset for offset in offsets)
            out += b"trailer\\n<< /Size %d /Root 1 0 R >>\\nstartxref\\n%d\\n%%%%EOF\\n" % (len(objects) + 1, xref)
            sys.stdout.write(base64.b64encode(out).decode())
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = try await offPool {
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return data
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Milliseconds for one `GET /healthz`, or nil when it failed.
    static func healthz(_ url: URL) async -> Double? {
        let start = ContinuousClock.now
        // A probe that gets no answer within 5 s counts as failed rather than holding the test.
        guard let (_, response) = try? await URLSession.shared.data(for: URLRequest(url: url, timeoutInterval: 5)),
              (response as? HTTPURLResponse)?.statusCode == 200 else { return nil }
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
    }

    @Test("inflate, blob and endless-query bombs end with memory_limit and timeout while /healthz answers within 100 ms")
    func bombs() async throws {
        let cli = try CLIRunner()
        try await ServerProcess.with(cli) { server in
            let pdf = try await Self.inflateBombPDF()
            #expect(pdf.count < 1 << 20)
            let put = try await cli.run(["call", "file_write", "--server", server.url, "--json", "--input",
                                   "@" + cli.file("put.json", JSONValue.object(["path": "bomb.pdf", "content": .string(pdf), "encoding": "base64"]).serialized())])
            #expect(put.exitCode == 0, "\(put.stderr)")
            let database = try await cli.run(["call", "sqlite_execute", "--server", server.url, "--json", "--input",
                                        #"{"path": "b.db", "statements": [{"sql": "CREATE TABLE t (x)"}]}"#])
            #expect(database.exitCode == 0, "\(database.stderr)")

            // fts3_tokenizer(): a pointer into the server (level 1), and the known road to a crash or
            // code execution (level 2, a tokenizer at 0x4141414141414141). Refused; the server stays up.
            for (tool, input) in [
                ("sqlite_query", #"{"path": "b.db", "sql": "SELECT hex(fts3_tokenizer('simple'))"}"#),
                ("sqlite_execute", #"{"path": "b.db", "statements": [{"sql": "SELECT fts3_tokenizer('evil', x'4141414141414141')"}, "#
                    + #"{"sql": "CREATE VIRTUAL TABLE f USING fts3(body, tokenize=evil)"}, {"sql": "INSERT INTO f VALUES ('x')"}]}"#),
            ] {
                let refused = try await cli.run(["call", tool, "--server", server.url, "--json", "--input", input])
                #expect(refused.exitCode == 9 && (refused.stdout + refused.stderr).contains("fts3_tokenizer"), "\(refused.stdout) \(refused.stderr)")
            }
            #expect(await Self.healthz(URL(string: server.url + "/healthz")!) != nil, "the server is down after fts3_tokenizer")

            let bombs: [(input: String, tool: String, expected: String)] =
                Array(repeating: (#"{"path": "bomb.pdf"}"#, "pdf_extract_text", "memory_limit"), count: 4)
                + Array(repeating: (#"{"path": "b.db", "sql": "SELECT length(randomblob(900000000))"}"#, "sqlite_query", "memory_limit"), count: 2)
                + [(#"{"path": "b.db", "sql": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"}"#,
                    "sqlite_query", "timeout")]
            let health = URL(string: server.url + "/healthz")!
            let serverURL = server.url
            // Asks the server how it is every 50 ms for as long as the bombs run.
            let poller = Task { () -> [Double?] in
                var samples: [Double?] = []
                while !Task.isCancelled {
                    samples.append(await Self.healthz(health))
                    try? await Task.sleep(for: .milliseconds(50))
                }
                return samples
            }
            let results = try await withThrowingTaskGroup(of: (String, CLIRunner.Result).self) { group in
                for bomb in bombs {
                    group.addTask {
                        (bomb.expected, try await cli.run(["call", bomb.tool, "--server", serverURL, "--json", "--input", bomb.input, "--timeout", "60s"]))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            poller.cancel()
            let samples = await poller.value
            let latencies = samples.compactMap { $0 }.sorted()
            #expect(latencies.count == samples.count, "/healthz failed \(samples.count - latencies.count) of \(samples.count) times")
            #expect(latencies.count > 10, "\(latencies.count) probes")
            let p95 = latencies.isEmpty ? 0 : latencies[latencies.count * 95 / 100]
            #expect(p95 < 100, "healthz p95 \(p95) ms; slowest \(latencies.suffix(5))")
            for (expected, result) in results {
                #expect(result.exitCode == 9, "\(result.stderr)")
                #expect(result.stderr.contains(expected) || result.stdout.contains(expected), "expected \(expected): \(result.stdout.prefix(300)) \(result.stderr.prefix(300))")
            }
        }
    }
}
