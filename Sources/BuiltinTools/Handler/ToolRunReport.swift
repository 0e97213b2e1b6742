import Sandbox
import Synchronization

/// What a built-in call reports about itself besides its output: for the sandboxed tools, the
/// sandbox's outcome and usage, which the host copies into the call's span.
///
/// A reference shared between the host and the handler for one call; a `Mutex` because a handler
/// may report from any task.
public final class ToolRunReport: Sendable {
    private let state = Mutex<SandboxRun?>(nil)

    /// How a sandboxed run of the call ended and what it used.
    public struct SandboxRun: Sendable, Hashable {
        public var outcome: SandboxOutcome
        public var usage: SandboxResult.Usage

        public init(outcome: SandboxOutcome, usage: SandboxResult.Usage) {
            self.outcome = outcome
            self.usage = usage
        }
    }

    public init() {}

    /// Records the sandboxed run of this call (the last report wins).
    public func record(_ run: SandboxRun) {
        state.withLock { $0 = run }
    }

    /// The sandboxed run, if the handler reported one.
    public var sandboxRun: SandboxRun? {
        state.withLock { $0 }
    }
}
