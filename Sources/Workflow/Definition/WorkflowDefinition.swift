import ToolhostCore

/// A workflow as its author wrote it, checked: the graph of nodes and edges, the state's schema and
/// how parallel writes to a key combine. Load one with ``WorkflowLoader``.
public struct WorkflowDefinition: Sendable {
    public var name: String
    public var version: String?
    public var description: String?
    /// JSON Schema 2020-12 of the run's state; the run's input is validated with it.
    public var stateSchema: JSONValue?
    /// How parallel writes to a state key combine (keys without one are replaced, and may not be
    /// written by two branches that run at once).
    public var reducers: [String: Reducer]
    /// The node a run starts at.
    public var entry: String
    /// In the order of the definition.
    public var nodes: [WorkflowNode]
    public var edges: [WorkflowEdge]

    /// The node with `id`.
    public func node(_ id: String) -> WorkflowNode? { nodes.first { $0.id == id } }

    /// The edges that leave `id`, in the order of the definition.
    public func edges(from id: String) -> [WorkflowEdge] { edges.filter { $0.from == id } }
}

/// How parallel writes to one state key combine.
public enum Reducer: String, Sendable, Hashable, CaseIterable {
    /// The last write wins (the default for a key written by one branch at a time).
    case replace
    /// Arrays are concatenated, in the order the writes complete.
    case append
    /// Objects are merged, key by key (RFC 7396 merge patch).
    case merge
    /// Numbers are added.
    case sum
}

/// An edge: after `from` completes, `to` runs when `when` (a JMESPath expression over
/// `{state, output}`) is truthy, or always without one. Several matching edges run in parallel.
public struct WorkflowEdge: Sendable {
    public var from: String
    public var to: String
    public var when: JMESPathExpression?
    /// Where the edge is in its source.
    public var location: SourceLocation
}

/// One node: its id and kind, the fields every kind has (retry, timeout, fallback), and its kind's
/// own fields, checked against the kind's ``NodeKind`` description.
public struct WorkflowNode: Sendable {
    public var id: String
    public var kind: String
    /// Every member of the node as written, for the kind's implementation.
    public var fields: [String: JSONValue]
    /// The kind's expression fields, compiled, by field path (`input`, `output.summary`, `cases[0].when`).
    public var expressions: [String: JMESPathExpression]
    public var retry: RetryPolicy?
    /// How long one attempt may take.
    public var timeout: Duration?
    /// The node that runs instead when this one fails after its retries.
    public var fallback: String?
    /// Where the node is in its source.
    public var location: SourceLocation
    /// Where each of its fields is, by field name.
    public var fieldLocations: [String: SourceLocation]

    /// Where `field` is, or the node's own location when it has no such field.
    public func location(of field: String) -> SourceLocation { fieldLocations[field] ?? location }
}

/// When a failed node is tried again: `maxAttempts` in all, waiting `initialDelay` seconds, then
/// `multiplier` times longer each time up to `maxDelay`, with random jitter when asked.
public struct RetryPolicy: Sendable, Hashable {
    public var maxAttempts: Int
    public var initialDelay: Double
    public var multiplier: Double
    public var maxDelay: Double
    public var jitter: Bool

    public init(maxAttempts: Int = 3, initialDelay: Double = 0.5, multiplier: Double = 2, maxDelay: Double = 30, jitter: Bool = true) {
        self.maxAttempts = maxAttempts
        self.initialDelay = initialDelay
        self.multiplier = multiplier
        self.maxDelay = maxDelay
        self.jitter = jitter
    }
}
