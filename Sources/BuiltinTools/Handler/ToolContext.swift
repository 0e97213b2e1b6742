import Foundation
import Sandbox
import ToolhostCore

/// Everything a built-in handler may use for one call: its workspace, the host's configuration,
/// the secrets the tool declared, the sandbox for code execution, and its time limit.
///
/// A handler reaches nothing else of the host: files only through ``workspace``, the network only
/// under ``configuration``'s rules, secrets only those in ``secrets``.
public struct ToolContext: Sendable {
    /// The caller's workspace (a per-agent or per-run directory); file tools are confined to it.
    public var workspace: Workspace
    /// Host settings: network rules, the SMTP server, the search endpoint.
    public var configuration: BuiltinConfiguration
    /// Values of the secrets the tool declares in `permissions.secrets` (and only those).
    public var secrets: [String: String]
    /// The sandbox that runs python_exec, shell_exec and js_exec; nil where none is available.
    public var sandbox: (any SandboxRunner)?
    /// The tool's limits from its manifest, already clamped by the host.
    public var limits: ToolLimits
    /// Where the handler reports what a sandboxed run used, for the call's span.
    public var report: ToolRunReport

    /// Creates a context; `limits` defaults to none and `report` to a fresh one.
    public init(
        workspace: Workspace,
        configuration: BuiltinConfiguration = BuiltinConfiguration(),
        secrets: [String: String] = [:],
        sandbox: (any SandboxRunner)? = nil,
        limits: ToolLimits = ToolLimits(),
        report: ToolRunReport = ToolRunReport()
    ) {
        self.workspace = workspace
        self.configuration = configuration
        self.secrets = secrets
        self.sandbox = sandbox
        self.limits = limits
        self.report = report
    }

    /// The tool's time limit in seconds, or `fallback` when the manifest has none.
    public func timeoutSeconds(fallback: Double = 30) -> Double {
        limits.timeoutMs.map { Double($0) / 1000 } ?? fallback
    }

    /// The secret `name`, which the tool must declare.
    /// - Throws: ``ToolFailure`` `not_configured` naming the secret when the host has no value for it.
    public func secret(_ name: String) throws(ToolFailure) -> String {
        guard let value = secrets[name], !value.isEmpty else {
            throw ToolFailure(.notConfigured, "the secret \(name) is not configured on this host")
        }
        return value
    }
}
