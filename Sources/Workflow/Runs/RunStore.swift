import Foundation
import ToolhostCore

/// Where runs and their event logs are kept: the log is the source of truth of a run (its state at
/// any event can be rebuilt from it), and a run is driven only by the holder of its lease.
///
/// Nothing here is only in memory, and nothing assumes one process: sequence numbers are given by
/// the store inside the append's transaction, and an append names the lease holder it is made for,
/// so a host whose lease was taken over (it paused for longer than its lease) cannot write to the
/// run any more. The embedded store is ``SQLiteRunStore``; a PostgreSQL store would be another.
public protocol RunStore: Sendable {
    /// Stores a new run with its first events (`run.started`, …), held by `holder` until `leaseUntil`.
    /// - Throws: ``ToolhostCore/ToolhostError`` `conflict` when the id exists.
    func create(_ run: RunRecord, events: [RunEvent.Draft], holder: String, leaseUntil: Date) async throws(ToolhostError) -> [RunEvent]

    /// Appends events in one transaction, numbering them after the run's last, and sets the run's
    /// status when given. Only the lease holder may append.
    /// - Throws: ``ToolhostCore/ToolhostError`` `conflict` when `holder` does not hold the run's lease
    ///   (it expired and another host took it), `not_found` for an unknown run.
    func append(_ events: [RunEvent.Draft], to runID: String, holder: String, status: RunStatus?) async throws(ToolhostError) -> [RunEvent]

    /// The events of a run after `sequence` (0: from the start), oldest first, at most `limit`.
    func events(of runID: String, after sequence: Int, limit: Int) async throws(ToolhostError) -> [RunEvent]

    /// One run of `tenant`.
    /// - Throws: ``ToolhostCore/ToolhostError`` `not_found`, also for another tenant's run.
    func run(id: String, tenant: String) async throws(ToolhostError) -> RunRecord

    /// The runs of `tenant`, newest first, optionally of one status.
    func runs(tenant: String, status: RunStatus?, limit: Int) async throws(ToolhostError) -> [RunRecord]

    /// Takes the run's lease for `holder` until `until` when it is free, expired, or already
    /// `holder`'s (a renewal); returns whether `holder` holds it now.
    func acquireLease(of runID: String, holder: String, until: Date, now: Date) async throws(ToolhostError) -> Bool

    /// Gives the lease up (the run finished, paused or waits for a person), if `holder` holds it.
    func releaseLease(of runID: String, holder: String) async throws(ToolhostError)
}

/// Where a run is.
public enum RunStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case running
    /// Waiting for a person (an approval) or a signal.
    case waiting
    case paused
    case completed
    case failed
    case cancelled

    /// Whether nothing more will happen to the run.
    public var isFinal: Bool { [.completed, .failed, .cancelled].contains(self) }
}

/// A run as stored: what it runs, for whom, and where it is.
public struct RunRecord: Sendable, Hashable, Codable {
    public var id: String
    public var tenant: String
    /// The key the run calls tools as, and the agent it calls them for.
    public var caller: String
    public var agent: String?
    public var workflow: String
    public var workflowVersion: String?
    /// The definition the run follows, as it was when the run started.
    public var definition: JSONValue
    public var input: JSONValue
    public var status: RunStatus
    public var traceID: String
    public var createdAt: Date
    public var updatedAt: Date
    /// The last event's sequence number.
    public var lastSequence: Int
    public var leaseHolder: String?
    public var leaseExpiresAt: Date?

    public init(id: String, tenant: String, caller: String, agent: String?, workflow: String, workflowVersion: String?,
                definition: JSONValue, input: JSONValue, status: RunStatus = .running, traceID: String, createdAt: Date = Date()) {
        self.id = id
        self.tenant = tenant
        self.caller = caller
        self.agent = agent
        self.workflow = workflow
        self.workflowVersion = workflowVersion
        self.definition = definition
        self.input = input
        self.status = status
        self.traceID = traceID
        self.createdAt = createdAt
        self.updatedAt = createdAt
        lastSequence = 0
    }
}

/// One entry of a run's log.
public struct RunEvent: Sendable, Hashable, Codable {
    /// What happened: `run.started`, `node.started`, `node.completed` (with its state delta),
    /// `node.failed`, `node.retrying`, `tool.started`, `tool.completed`, `approval.requested`,
    /// `approval.resolved`, `run.completed`, …
    public var type: String
    public var runID: String
    /// 1, 2, 3, … within the run: `Last-Event-ID` for streams, `--at` for replay and fork.
    public var sequence: Int
    public var node: String?
    public var attempt: Int?
    public var data: JSONValue
    public var at: Date

    /// An event before the store numbered it.
    public struct Draft: Sendable, Hashable {
        public var type: String
        public var node: String?
        public var attempt: Int?
        public var data: JSONValue

        public init(_ type: String, node: String? = nil, attempt: Int? = nil, data: JSONValue = .object([:])) {
            self.type = type
            self.node = node
            self.attempt = attempt
            self.data = data
        }
    }
}
