import BuiltinTools
import Foundation
import Host
import Registry
import Sandbox

/// How `toolhost serve` runs: where it listens, where its data lives, and how its host runs tools.
public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// The data directory: `toolhost.sqlite`, `blobs/`, `admin.key`.
    public var dataDirectory = URL(fileURLWithPath: ".toolhost")
    /// Caps of package uploads.
    public var archiveLimits = PackageArchiveLimits()
    /// How long an API key's lookup and a rendered tool are reused. Writes through this server are
    /// seen at once whatever the value; it bounds how long a change made by another process on the
    /// same data directory (a revoked key, a yank) can go unseen. `.zero` turns the caches off.
    public var cacheLifetime: Duration = .seconds(1)
    /// How long a connection may go without a request part arriving while it has no request, or
    /// while a request's header or body is still being read, before the server closes it: a client
    /// that stops halfway through a request no longer holds its connection for ever. A handler still
    /// at work (a long tool call) is not cut off. nil turns the timeout off.
    public var idleTimeout: Duration? = .seconds(30)

    /// Network rules, SMTP server and search endpoint of the built-in tools.
    public var builtins = BuiltinConfiguration()
    /// Secret values by name for the tools that declare them; nil takes them from the
    /// `TOOLHOST_SECRET_<NAME>` variables of the environment.
    public var secrets: [String: String]?
    /// How long a pending approval waits for a decision before it expires, in seconds.
    public var approvalLifetime: Double = 24 * 3600
    /// When a tool's circuit opens and how long it stays open.
    public var breakers = CircuitBreakerPolicy()
    /// How often the host's maintenance runs: approvals past their deadline expire, and approved
    /// runs whose host is gone (its lease ran out) are marked interrupted.
    public var maintenanceInterval: Duration = .seconds(10)
    /// Run packaged tools in the sandbox. Off, or when the sandbox cannot be created here, packaged
    /// tools answer `not_configured` errors; built-ins without a subprocess still run.
    public var sandboxEnabled = true
    /// Sandbox launchers the server keeps started ahead of time, each already in its run's cgroups
    /// (spawning and cgroup joins off the critical path of each run).
    public var prewarmedLaunchers = 2
    /// A sandbox to use instead of creating one (tests share one per process); the server still
    /// quiesces it on ``ToolhostServer/shutdown()``.
    public var sandbox: Sandbox?

    public init() {}

    /// The host's configuration for `dataDirectory`, with this configuration's overrides.
    func hostConfiguration(environment: [String: String] = ProcessInfo.processInfo.environment) -> HostConfiguration {
        var configuration = HostConfiguration(dataDirectory: dataDirectory, environment: environment)
        configuration.builtins = builtins
        if let secrets { configuration.secrets = secrets }
        configuration.approvalLifetime = approvalLifetime
        configuration.breakers = breakers
        return configuration
    }
}
