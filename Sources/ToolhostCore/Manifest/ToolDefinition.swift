/// One tool of a package: what it is called, what it takes and returns, and how much it may do.
public struct ToolDefinition: Sendable, Hashable, Codable {
    /// The tool's name inside its package, e.g. `hash_digest`.
    public var name: String
    public var title: String
    public var description: String
    /// The JSON Schema (2020-12) of the call's input; an object schema, as MCP requires.
    public var inputSchema: JSONValue
    /// The JSON Schema (2020-12) of the tool's output; outputs that break it are reported as tool errors.
    public var outputSchema: JSONValue
    public var annotations: ToolAnnotations
    public var privilegeLevel: PrivilegeLevel
    public var permissions: ToolPermissions?
    public var limits: ToolLimits?
    public var keywords: [String]?
    public var examples: [ToolExample]?
}

/// MCP's tool annotations: hints about behaviour that clients use to decide how careful to be.
public struct ToolAnnotations: Sendable, Hashable, Codable {
    public var title: String?
    public var readOnlyHint: Bool?
    public var destructiveHint: Bool?
    public var idempotentHint: Bool?
    public var openWorldHint: Bool?

    public init(
        title: String? = nil, readOnlyHint: Bool? = nil, destructiveHint: Bool? = nil,
        idempotentHint: Bool? = nil, openWorldHint: Bool? = nil
    ) {
        self.title = title
        self.readOnlyHint = readOnlyHint
        self.destructiveHint = destructiveHint
        self.idempotentHint = idempotentHint
        self.openWorldHint = openWorldHint
    }

    // MCP's defaults when a hint is absent: not read-only, destructive, not idempotent, open world.
    /// `readOnlyHint`, with MCP's default (false) when absent.
    public var isReadOnly: Bool { readOnlyHint ?? false }
    /// `destructiveHint`, with MCP's default (true) when absent; meaningless for read-only tools.
    public var isDestructive: Bool { isReadOnly ? false : (destructiveHint ?? true) }
    /// `idempotentHint`, with MCP's default (false) when absent.
    public var isIdempotent: Bool { idempotentHint ?? false }
    /// `openWorldHint`, with MCP's default (true) when absent.
    public var isOpenWorld: Bool { openWorldHint ?? true }
}

/// What a tool declares it needs; the sandbox enforces exactly this, and the registry derives a
/// minimum privilege level from it.
public struct ToolPermissions: Sendable, Hashable, Codable {
    /// Hosts the tool may reach.
    public struct Network: Sendable, Hashable, Codable {
        /// Host patterns such as `*`, `api.slack.com` or `*.example.com:443`.
        public var egress: [String]?
    }

    /// What the tool may write.
    public struct Filesystem: Sendable, Hashable, Codable {
        /// Whether the tool writes (always confined to the run's workspace).
        public var write: Bool?
    }

    public var network: Network?
    public var filesystem: Filesystem?
    /// Whether the tool starts other processes.
    public var subprocess: Bool?
    /// Names of the secrets the tool reads, e.g. `SMTP_PASSWORD`.
    public var secrets: [String]?

    /// No permissions unless given.
    public init(network: Network? = nil, filesystem: Filesystem? = nil, subprocess: Bool? = nil, secrets: [String]? = nil) {
        self.network = network
        self.filesystem = filesystem
        self.subprocess = subprocess
        self.secrets = secrets
    }
}

/// Limits a tool asks for; the host clamps them by the policy of the tool's privilege level.
public struct ToolLimits: Sendable, Hashable, Codable {
    public var timeoutMs: Int?
    public var memoryBytes: Int?
    public var outputBytes: Int?

    public init(timeoutMs: Int? = nil, memoryBytes: Int? = nil, outputBytes: Int? = nil) {
        self.timeoutMs = timeoutMs
        self.memoryBytes = memoryBytes
        self.outputBytes = outputBytes
    }
}

/// A worked example: an input and the output the tool gives for it. Tests run every example.
public struct ToolExample: Sendable, Hashable, Codable {
    /// How an example's expected output is compared with the actual one.
    public enum Match: String, Sendable, Hashable, Codable {
        /// The outputs are equal.
        case exact
        /// Every key of the expected output equals the actual one (recursively for objects;
        /// arrays compared whole); for outputs with inherently variable parts such as timings.
        case subset
    }

    public var name: String
    public var description: String?
    public var input: JSONValue
    public var output: JSONValue
    public var match: Match?
    /// Test values for the tool's declared secrets, so the example runs on its own.
    public var secrets: [String: String]?
}
