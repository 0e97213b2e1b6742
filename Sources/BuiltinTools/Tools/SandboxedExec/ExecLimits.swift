import Sandbox
import ToolhostCore

/// The sandbox limits of one exec run: what the caller asked for, lowered to the tool's limits (the
/// manifest's, already clamped by the host) and to the sandbox policy's maximums for the tools'
/// privilege level. A run never gets more than any of them allows.
enum ExecLimits {
    /// The exec tools' privilege level (EXECUTE_SAFE in their manifests).
    static let privilegeLevel = PrivilegeLevel.executeSafe

    /// - Parameters:
    ///   - timeoutMs: the input's wall-clock limit.
    ///   - tool: the tool's limits; a missing one takes the policy's default.
    static func limits(timeoutMs: Int, tool: ToolLimits, policy: SandboxPolicy) -> SandboxLimits {
        var limits = policy.defaults
        limits.wallTimeMs = min(timeoutMs, tool.timeoutMs ?? timeoutMs)
        limits.memoryBytes = tool.memoryBytes ?? limits.memoryBytes
        limits.outputBytes = tool.outputBytes ?? limits.outputBytes
        // A program may compute for as long as it may run, so that a long run ends at its wall-clock
        // limit rather than at a CPU limit the caller never set; never below the policy's default,
        // which leaves multi-threaded start-ups (Node.js) room within a short wall-clock limit.
        limits.cpuTimeMs = max(limits.cpuTimeMs, limits.wallTimeMs)
        return limits.clamped(to: policy.maximum(for: privilegeLevel))
    }
}
