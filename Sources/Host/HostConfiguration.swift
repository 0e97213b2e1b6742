import BuiltinTools
import Foundation
import Sandbox

/// How a ``Host`` runs tools: where its data lives, what the built-ins may reach, secrets, and the
/// policies of approval gates and circuit breakers.
public struct HostConfiguration: Sendable {
    /// The data directory: workspaces (`workspaces/`) and unpacked packages (`packages/`) live here.
    public var dataDirectory: URL
    /// Network rules, SMTP server and search endpoint for the built-ins.
    public var builtins = BuiltinConfiguration()
    /// Secret values by name; a tool receives only the ones its manifest declares.
    public var secrets: [String: String] = [:]
    /// How long a pending approval waits before it expires, in seconds.
    public var approvalLifetime: Double = 24 * 3600
    public var breakers = CircuitBreakerPolicy()
    /// What each workspace may hold, for built-ins and sandboxed runs alike (nil: no quota).
    public var workspaceQuota: WorkspaceQuota? = .standard

    /// Secrets come from `TOOLHOST_SECRET_<NAME>` variables of the environment by default.
    public init(dataDirectory: URL, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.dataDirectory = dataDirectory
        let prefix = "TOOLHOST_SECRET_"
        for (name, value) in environment where name.hasPrefix(prefix) && name.count > prefix.count {
            secrets[String(name.dropFirst(prefix.count))] = value
        }
    }
}
