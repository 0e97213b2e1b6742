/// The resources one sandboxed run used, as the sandbox measures them.
public struct ResourceUsage: Sendable, Hashable, Codable {
    public var wallMs: Double
    public var cpuMs: Double
    public var peakMemoryBytes: Int

    public init(wallMs: Double, cpuMs: Double, peakMemoryBytes: Int) {
        self.wallMs = wallMs
        self.cpuMs = cpuMs
        self.peakMemoryBytes = peakMemoryBytes
    }
}

/// How a sandboxed run ended and what it used, as a call's result, its span and the API report it:
/// `{"outcome": "ok", "wallMs": 41.2, "cpuMs": 30.1, "peakMemoryBytes": 9437184}`.
public struct SandboxUsage: Sendable, Hashable, Codable {
    /// The sandbox's outcome (`ok`, `memory_limit`, `wall_time_limit`, …).
    public var outcome: String
    public var wallMs: Double
    public var cpuMs: Double
    public var peakMemoryBytes: Int

    public init(outcome: String, wallMs: Double, cpuMs: Double, peakMemoryBytes: Int) {
        self.outcome = outcome
        self.wallMs = wallMs
        self.cpuMs = cpuMs
        self.peakMemoryBytes = peakMemoryBytes
    }

    public init(outcome: String, usage: ResourceUsage) {
        self.init(outcome: outcome, wallMs: usage.wallMs, cpuMs: usage.cpuMs, peakMemoryBytes: usage.peakMemoryBytes)
    }
}
