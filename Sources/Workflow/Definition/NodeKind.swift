import Synchronization

/// What a node kind's fields are, so that definitions are checked before anything runs: which
/// fields it needs, which hold JMESPath expressions, which name other nodes, which write state.
///
/// The standard kinds are registered by ``NodeKinds``; Swift code adds its own (the `llm` kind
/// comes this way) with ``NodeKinds/register(_:)``.
public struct NodeKind: Sendable {
    /// What one field holds.
    public enum Field: Sendable, Hashable {
        /// A JMESPath expression.
        case expression
        /// An object whose values are JMESPath expressions, each writing the state key it is under.
        case stateUpdates
        /// Where the output goes: a state key (the whole output), or an object of state keys to
        /// expressions over `output`.
        case output
        /// Another node's id.
        case node
        /// `[{when, to}]`: conditions (expressions) and the nodes they lead to.
        case cases
        /// A JSON Schema.
        case schema
        /// A duration: seconds as a number, or `250ms`, `10s`, `5m`, `1h`.
        case duration
        /// A positive integer.
        case positiveInteger
        /// A non-empty string (a tool or workflow name, a prompt).
        case text
        /// A list of node ids.
        case nodes
        /// Anything; the kind's implementation checks it.
        case any
    }

    public var name: String
    public var required: [String: Field]
    public var optional: [String: Field]

    public init(_ name: String, required: [String: Field] = [:], optional: [String: Field] = [:]) {
        self.name = name
        self.required = required
        self.optional = optional
    }

    /// The role of `field`, or nil when the kind has no such field.
    func role(of field: String) -> Field? { required[field] ?? optional[field] }
}

/// The node kinds definitions may use.
public enum NodeKinds {
    /// Fields every node has, whatever its kind.
    static let common: [String: NodeKind.Field] = [
        "id": .text, "kind": .text, "description": .any, "retry": .any, "timeout": .duration, "fallback": .node, "resources": .any,
    ]

    static let standard: [NodeKind] = [
        NodeKind("tool", required: ["tool": .text], optional: ["input": .expression, "output": .output, "agent": .text]),
        NodeKind("set", required: ["set": .stateUpdates]),
        NodeKind("map", required: ["over": .expression, "tool": .text],
                 optional: ["input": .expression, "output": .output, "concurrency": .positiveInteger]),
        NodeKind("branch", required: ["cases": .cases], optional: ["default": .node]),
        NodeKind("join", optional: ["require": .nodes]),
        NodeKind("approval", required: ["prompt": .text],
                 optional: ["form": .schema, "default": .any, "output": .output]),
        NodeKind("workflow", required: ["workflow": .text],
                 optional: ["version": .text, "input": .expression, "output": .output]),
        NodeKind("guard", required: ["schema": .schema], optional: ["path": .expression, "onFail": .node]),
    ]

    private static let registered = Mutex<[String: NodeKind]>(Dictionary(uniqueKeysWithValues: standard.map { ($0.name, $0) }))

    /// Adds (or replaces) a kind.
    public static func register(_ kind: NodeKind) {
        registered.withLock { $0[kind.name] = kind }
    }

    /// The kind called `name`, if registered.
    public static func kind(named name: String) -> NodeKind? { registered.withLock { $0[name] } }

    /// Every registered kind's name, sorted.
    public static var names: [String] { registered.withLock { $0.keys.sorted() } }
}
