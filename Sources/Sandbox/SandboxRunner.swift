import ToolhostCore

/// What the host needs of a sandbox: the policy it enforces, and one confined run per request.
///
/// ``Sandbox`` is the one on this machine (namespaces, seccomp, cgroups). The host and the built-in
/// exec tools depend on this protocol rather than on it, so that another runner — a sandbox on a
/// worker machine for a host that has none — is an addition, not a change to the pipeline.
public protocol SandboxRunner: Sendable {
    /// The limits, profiles and mounts runs get.
    var policy: SandboxPolicy { get }

    /// Runs one program confined by the request's profile and limits. A cancelled task stops the
    /// run (outcome `cancelled`).
    /// - Throws: ``ToolhostCore/ToolhostError`` when the request itself is unusable; a program that
    ///   fails or hits a limit is a result with its outcome, not a throw.
    func run(_ request: SandboxRequest) async throws(ToolhostError) -> SandboxResult

    /// Waits until every finished run is torn down (cgroups removed, processes reaped).
    func quiesce() async

    /// Releases what the runner keeps ahead of time (prewarmed cgroups and launchers).
    func shutdown()
}

extension Sandbox: SandboxRunner {}
