import Foundation
import Storage
import Testing
import ToolhostCore
import Traces

/// The embedded trace store on a real SQLite file: batched writes that a reader never misses,
/// tenant scoping, and spans that round-trip whole.
@Suite("The SQLite trace store")
struct SQLiteTraceStoreTests {
    let directory: URL
    let database: SQLiteDatabase
    let store: SQLiteTraceStore

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("toolhost-traces-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        database = try SQLiteDatabase(path: directory.appendingPathComponent("toolhost.sqlite").path)
        store = try SQLiteTraceStore(database: database)
    }

    static func span(tenant: String = "local", tool: String = "hash_digest", trace: String = TraceIdentifiers.newTraceID(),
                     start: Date, status: Span.Status = .ok) -> Span {
        Span(traceID: trace, spanID: TraceIdentifiers.newSpanID(), name: "execute_tool \(tool)", tenant: tenant, tool: tool,
             package: "toolhost/\(tool)", toolVersion: "1.0.0", caller: "key-1", privilegeLevel: 1, status: status,
             start: start, durationMs: 1.5, inputBytes: 40, outputBytes: 9)
    }

    @Test("a span recorded just before a read is in the read: reads flush the batch first")
    func readsSeeWhatWasRecorded() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let now = Date()
        for offset in 0..<50 {
            try store.record(Self.span(start: now.addingTimeInterval(Double(offset))))
        }
        let recent = try await store.recent(tenant: "local", tool: nil, limit: 100)
        #expect(recent.count == 50)
        // Newest first.
        #expect(recent.map(\.start) == recent.map(\.start).sorted(by: >))
    }

    @Test("spans are the tenant's own, and a tool filter keeps only that tool's")
    func scoping() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let now = Date()
        try store.record(Self.span(tenant: "acme", tool: "hash_digest", start: now))
        try store.record(Self.span(tenant: "acme", tool: "file_read", start: now))
        try store.record(Self.span(tenant: "globex", tool: "hash_digest", start: now))
        #expect(try await store.recent(tenant: "acme", tool: nil, limit: 10).count == 2)
        #expect(try await store.recent(tenant: "acme", tool: "file_read", limit: 10).map(\.tool) == ["file_read"])
        #expect(try await store.recent(tenant: "initech", tool: nil, limit: 10).isEmpty)
        let trace = try #require(try await store.recent(tenant: "globex", tool: nil, limit: 1).first).traceID
        #expect(try await store.trace(trace, tenant: "acme").isEmpty, "another tenant's trace is not found")
        #expect(try await store.trace(trace, tenant: "globex").count == 1)
    }

    @Test("a span comes back whole: ids, error, sandbox usage, attributes, and its trace in start order")
    func roundTrip() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let trace = TraceIdentifiers.newTraceID()
        let start = Date(timeIntervalSince1970: 1_800_000_000.123456)
        var child = Self.span(trace: trace, start: start.addingTimeInterval(0.5), status: .error)
        child.errorType = "memory_limit"
        child.errorMessage = "the run used more than 64 MiB"
        child.sandbox = SandboxUsage(outcome: "memory_limit", wallMs: 12.5, cpuMs: 10.25, peakMemoryBytes: 67_108_864)
        child.attributes = ["toolhost.approval.id": "apr_1"]
        child.callID = "call_1"
        var parent = Self.span(trace: trace, start: start)
        parent.parentSpanID = nil
        child.parentSpanID = parent.spanID
        try store.record(child)
        try store.record(parent)
        let spans = try await store.trace(trace, tenant: "local")
        #expect(spans.map(\.spanID) == [parent.spanID, child.spanID])
        let stored = try #require(spans.last)
        #expect(stored.errorType == child.errorType && stored.errorMessage == child.errorMessage)
        #expect(stored.sandbox == child.sandbox && stored.attributes == child.attributes && stored.callID == "call_1")
        #expect(stored.parentSpanID == parent.spanID)
        #expect(abs(stored.start.timeIntervalSince(child.start)) < 0.000_01)
    }

    @Test("what one connection flushed, another connection to the file reads: a CLI command sees a server's spans")
    func anotherConnectionReads() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        try store.record(Self.span(start: Date()))
        try await store.flush()
        let other = try SQLiteTraceStore(database: try SQLiteDatabase(path: directory.appendingPathComponent("toolhost.sqlite").path))
        #expect(try await other.recent(tenant: "local", tool: nil, limit: 10).count == 1)
    }
}
