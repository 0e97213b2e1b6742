import Foundation
import Storage
import Testing
import ToolhostCore
import Workflow

/// Issue 12, deliverable 3: the event log numbers events in the store, and only the holder of a
/// run's lease writes to it — also across connections, which is what processes are to SQLite.
@Suite("The SQLite run store")
struct SQLiteRunStoreTests {
    let directory: URL
    let store: SQLiteRunStore

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("toolhost-runs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try Self.open(directory)
    }

    static func open(_ directory: URL) throws -> SQLiteRunStore {
        try SQLiteRunStore(database: try SQLiteDatabase(path: directory.appendingPathComponent("toolhost.sqlite").path))
    }

    static func run(_ id: String = "run_1") -> RunRecord {
        RunRecord(id: id, tenant: "local", caller: "key-1", agent: nil, workflow: "research", workflowVersion: "1",
                  definition: ["name": "research"], input: ["query": "swift"], traceID: TraceIDs.fixed)
    }

    enum TraceIDs { static let fixed = String(repeating: "ab", count: 16) }

    @Test("events are numbered by the store, in order, also when two tasks append at once")
    func numbering() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let lease = Date().addingTimeInterval(60)
        let first = try await store.create(Self.run(), events: [.init("run.started", data: ["input": ["query": "swift"]])], holder: "a", leaseUntil: lease)
        #expect(first.map(\.sequence) == [1])
        let store = store
        try await withThrowingTaskGroup(of: [RunEvent].self) { group in
            for index in 0..<20 {
                group.addTask {
                    try await store.append([.init("node.started", node: "n\(index)"), .init("node.completed", node: "n\(index)", data: ["delta": ["k": .int(index)]])],
                                           to: "run_1", holder: "a", status: nil)
                }
            }
            for try await appended in group {
                // A node's start and completion are one append: their numbers follow each other.
                #expect(appended.count == 2 && appended[1].sequence == appended[0].sequence + 1)
            }
        }
        let log = try await store.events(of: "run_1", after: 0, limit: 1000)
        #expect(log.map(\.sequence) == Array(1...41))
        #expect(try await store.run(id: "run_1", tenant: "local").lastSequence == 41)
        #expect(try await store.events(of: "run_1", after: 39, limit: 10).map(\.sequence) == [40, 41])
        #expect(log.last?.data["delta"]?["k"] != nil)
    }

    @Test("only the lease holder appends; an expired lease is taken over, and the old holder is fenced off")
    func leases() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let now = Date()
        _ = try await store.create(Self.run(), events: [.init("run.started")], holder: "host-a", leaseUntil: now.addingTimeInterval(600))
        // Another process (another connection) cannot take a live lease, nor write without it.
        let other = try Self.open(directory)
        #expect(try await other.acquireLease(of: "run_1", holder: "host-b", until: now.addingTimeInterval(900), now: now) == false)
        await #expect(throws: ToolhostError.self) {
            _ = try await other.append([.init("node.started", node: "x")], to: "run_1", holder: "host-b", status: nil)
        }
        // Once it has run out (ten minutes on), the other host takes over; the first one's writes are
        // refused from then on.
        let later = now.addingTimeInterval(601)
        #expect(try await other.acquireLease(of: "run_1", holder: "host-b", until: later.addingTimeInterval(3600), now: later) == true)
        do {
            _ = try await store.append([.init("node.started", node: "late")], to: "run_1", holder: "host-a", status: nil)
            Issue.record("a host whose lease was taken over still wrote to the run")
        } catch {
            #expect(error.code == .conflict && error.message.contains("host-b"), "\(error.message)")
        }
        let appended = try await other.append([.init("run.completed")], to: "run_1", holder: "host-b", status: .completed)
        #expect(appended.map(\.sequence) == [2])
        #expect(try await store.run(id: "run_1", tenant: "local").status == .completed)
        try await other.releaseLease(of: "run_1", holder: "host-b")
        #expect(try await store.run(id: "run_1", tenant: "local").leaseHolder == nil)
    }

    @Test("runs are the tenant's own, listed newest first, filtered by status")
    func listing() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let lease = Date().addingTimeInterval(60)
        for index in 1...3 {
            var run = Self.run("run_\(index)")
            run.createdAt = Date(timeIntervalSince1970: 1_800_000_000 + Double(index))
            _ = try await store.create(run, events: [.init("run.started")], holder: "a", leaseUntil: lease)
        }
        _ = try await store.append([.init("run.completed")], to: "run_2", holder: "a", status: .completed)
        #expect(try await store.runs(tenant: "local", status: nil, limit: 10).map(\.id) == ["run_3", "run_2", "run_1"])
        #expect(try await store.runs(tenant: "local", status: .completed, limit: 10).map(\.id) == ["run_2"])
        #expect(try await store.runs(tenant: "acme", status: nil, limit: 10).isEmpty)
        await #expect(throws: ToolhostError.self) { _ = try await store.run(id: "run_1", tenant: "acme") }
        await #expect(throws: ToolhostError.self) {
            _ = try await store.create(Self.run("run_1"), events: [], holder: "a", leaseUntil: lease)
        }
    }
}
