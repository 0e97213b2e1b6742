import BuiltinTools
import Foundation
import Logging
import Registry
import Sandbox
import Synchronization
import ToolhostCore
import Traces

/// The one path every tool call takes, from every entry point:
/// resolve `name@range` → authorize (privilege, agent grants) → validate input → approval gate
/// (level ≥ 3, or the agent's policy) → circuit breaker → run (built-in handler, or the package in
/// the sandbox) → validate output → record a span → result.
///
/// ```swift
/// let directory = try await DataDirectory.open(dataURL)
/// let host = try await ToolHost(configuration: HostConfiguration(dataDirectory: dataURL), stores: directory.stores, sandbox: try Sandbox())
/// let outcome = try await host.invoke(ToolCall(tool: "hash_digest", input: ["algorithm": "sha256", "text": "abc"], caller: .localAdmin))
/// ```
///
/// Its parts stay inside: the server and the CLI ask it (``agents(for:)``, ``approvals(for:status:limit:)``,
/// ``circuits(for:)``, ``spans(for:tool:limit:)``…) with the ``Registry/Caller`` they serve, and it
/// decides what that caller may see and do.
public final class ToolHost: Sendable {
    public let configuration: HostConfiguration
    /// The sandbox for packaged tools and the exec built-ins; nil where none can run.
    public let sandbox: (any SandboxRunner)?
    let stores: HostStores
    let breakers: CircuitBreakers
    let resolver: ToolResolver
    let packages: PackageFiles
    /// Default workspaces already created, by tenant and key or agent. A Mutex: calls on any task use it.
    private let workspaces = Mutex<[String: Workspace]>([:])

    var catalog: any CatalogStore { stores.registry.catalog }
    var approvals: any ApprovalStore { stores.approvals }
    var agents: any AgentStore { stores.agents }
    var traces: any TraceStore { stores.traces }

    /// A host over `stores`. Approved calls whose host is gone (its lease ran out, or it stopped on
    /// this machine) are marked interrupted: never run twice. A host that still runs — a server next
    /// to which a CLI command opens the same data directory — keeps its runs.
    /// - Throws: ``ToolhostError`` `storage_error`.
    public init(configuration: HostConfiguration, stores: HostStores, sandbox: (any SandboxRunner)?) async throws(ToolhostError) {
        self.configuration = configuration
        self.stores = stores
        self.sandbox = sandbox
        breakers = try await CircuitBreakers(store: stores.circuits, policy: configuration.breakers)
        resolver = ToolResolver(catalog: stores.registry.catalog)
        packages = PackageFiles(root: configuration.dataDirectory.appendingPathComponent("packages"), archives: stores.registry.publishing)
        _ = try await stores.approvals.interruptAbandonedApprovals(now: Date(), isGone: HostInstance.isGone)
    }

    /// Where the host reports what it could not record after a tool ran.
    static let logger = Logger(label: "toolhost.host")

    /// Calls a tool, or opens an approval gate for it.
    /// - Throws: ``ToolhostError``: `invalid_input` for a malformed reference, `not_found`,
    ///   `forbidden` (scope, privilege, agent grants), `validation_failed` (422, with the schema
    ///   errors in `details`), `circuit_open`. A tool that fails is a result with `isError`, not a throw.
    public func invoke(_ call: ToolCall) async throws(ToolhostError) -> ToolCallOutcome {
        try call.caller.require(.invoke)
        let reference = try ToolReference(parsing: call.tool)
        let agent = try await agent(call.agentID, tenant: call.caller.tenant)
        let tool = try await resolver.resolve(reference, tenant: call.caller.tenant)
        let span = SpanDraft(call: call, tool: tool, agent: agent)
        do {
            try authorize(tool, caller: call.caller, agent: agent)
            try validateInput(call.input, of: tool)
        } catch {
            try span.fail(error, store: traces)
            throw error
        }
        if let reason = approvalReason(for: tool, agent: agent) {
            let now = Date()
            let approval = Approval(
                id: "apr_" + Self.randomID(), tenant: call.caller.tenant, tool: tool.name, toolVersion: tool.detail.version.description,
                input: call.input, caller: call.caller.keyID, agent: agent?.id, reason: reason, status: .pending, createdAt: now,
                expiresAt: now.addingTimeInterval(configuration.approvalLifetime), callId: span.callID,
                workspace: call.workspace?.path, traceId: span.traceID, parentSpanId: call.parentSpanID)
            try await approvals.createApproval(approval)
            return .pendingApproval(approval)
        }
        return .completed(try await execute(tool, input: call.input, call: call, agent: agent, span: span))
    }

    /// Approves a pending call and runs it, exactly once, with the input as approved (optionally edited,
    /// and then validated again). The result is stored with the approval.
    /// - Throws: ``ToolhostError`` `forbidden` without the `approve` scope, `not_found`, `conflict`
    ///   when it is not pending (already decided, expired), `validation_failed` for an edited input
    ///   that breaks the schema (the approval stays pending).
    public func approve(_ id: String, by caller: Caller, editedInput: JSONValue? = nil, reason: String? = nil) async throws(ToolhostError) -> Approval {
        let tool = try await decidableTool(of: id, by: caller, decision: "approving")
        if let editedInput { try validateInput(editedInput, of: tool) }
        let pending = try await approvals.approval(id: id, tenant: caller.tenant)
        // The agent's grants may have changed since the call: it must still be allowed the tool now.
        // A refusal leaves the approval pending, to be rejected or approved once the grant is back.
        let agent = try await agent(pending.agent, tenant: caller.tenant)
        let original = Caller(keyID: pending.caller, tenant: pending.tenant, maxPrivilege: .superAdmin, scopes: [.invoke])
        try authorize(tool, caller: original, agent: agent)
        // No run outlives its tool's time limit; the lease adds a margin for the sandbox's set-up and teardown.
        let limit = Double(tool.definition.limits?.timeoutMs ?? 600_000) / 1000
        var approval = try await approvals.claimApproval(id: id, tenant: caller.tenant, by: caller.keyID, reason: reason, editedInput: editedInput,
                                               runner: HostInstance.identity, leaseUntil: Date().addingTimeInterval(limit + 60))
        // The run happens as the call would have: in its workspace, in its trace, under its parent span.
        var call = ToolCall(tool: approval.tool, input: editedInput ?? approval.input, caller: original, agentID: approval.agent)
        call.workspace = approval.workspace.map { URL(fileURLWithPath: $0) }
        call.traceID = approval.traceId
        call.parentSpanID = approval.parentSpanId
        var span = SpanDraft(call: call, tool: tool, agent: agent)
        span.callID = approval.callId
        span.attributes["toolhost.approval.id"] = approval.id
        span.attributes["toolhost.approval.decided_by"] = caller.keyID
        let result: ToolCallResult
        do {
            result = try await execute(tool, input: call.input, call: call, agent: agent, span: span)
        } catch {
            // `execute` throws only before the tool runs (the circuit is open, say): nothing ran, so
            // the approval can be decided again later.
            try? await approvals.releaseApproval(id: id)
            throw error
        }
        // The call ran: whatever happens to this write, the result is the caller's, and the approval
        // is never released to run again (a host that restarts marks it interrupted).
        do {
            try await approvals.completeApproval(id: id, result: result)
        } catch {
            Self.logger.error("approval \(id) ran, but its result could not be stored: \(error.message)")
        }
        approval.status = .completed
        approval.result = result
        return approval
    }

    /// Rejects a pending call; it never runs. Its result (kept with the approval, and recorded as
    /// the call's span) is an `approval_rejected` error that names who rejected it and why.
    /// - Throws: ``ToolhostError`` as ``approve(_:by:editedInput:reason:)`` does for the scope and the
    ///   levels (the same rule decides both), `not_found`, `conflict` when it is no longer pending.
    public func reject(_ id: String, by caller: Caller, reason: String? = nil) async throws(ToolhostError) -> Approval {
        let tool = try await decidableTool(of: id, by: caller, decision: "rejecting")
        let rejected = try await approvals.rejectApproval(id: id, tenant: caller.tenant, by: caller.keyID, reason: reason) { approval in
            ToolCallResult.refused(approval, kind: .approvalRejected,
                                   message: "the call of \(approval.tool) was rejected by \(caller.keyID)\(reason.map { ": \($0)" } ?? ""); it did not run")
        }
        if let result = rejected.result {
            try traces.record(Span(
                traceID: result.traceId, spanID: result.spanId, name: "execute_tool \(rejected.tool)", tenant: rejected.tenant,
                tool: rejected.tool, package: tool.detail.package, toolVersion: rejected.toolVersion, caller: rejected.caller,
                agent: rejected.agent, privilegeLevel: tool.privilegeLevel.rawValue, status: .error, errorType: result.error?.type.rawValue, errorMessage: result.error?.message, start: Date(),
                durationMs: 0, inputBytes: result.usage.inputBytes, outputBytes: 0, callID: rejected.callId,
                attributes: ["toolhost.approval.id": rejected.id]))
        }
        return rejected
    }

    /// Waits until every finished call has left nothing behind: sandbox runs torn down, spans
    /// written. Call it before the process exits.
    public func drain() async {
        await sandbox?.quiesce()
        try? await traces.flush()
    }

    // MARK: - The pipeline's steps

    /// The agent a call is made for, when it names one.
    /// - Throws: ``ToolhostError`` `not_found` (also for another tenant's agent).
    func agent(_ id: String?, tenant: String) async throws(ToolhostError) -> Agent? {
        guard let id else { return nil }
        return try await agents.agent(id: id, tenant: tenant)
    }

    func authorize(_ tool: ResolvedTool, caller: Caller, agent: Agent?) throws(ToolhostError) {
        let level = tool.privilegeLevel
        if level > caller.maxPrivilege {
            throw ToolhostError(.forbidden, "\(tool.name) needs privilege level \(level); this API key allows at most \(caller.maxPrivilege)",
                                details: ["required": .int(level.rawValue), "allowed": .int(caller.maxPrivilege.rawValue)])
        }
        guard let agent else { return }
        if level > agent.maxPrivilege {
            throw ToolhostError(.forbidden, "\(tool.name) needs privilege level \(level); agent \(agent.name) is allowed at most \(agent.maxPrivilege)",
                                details: ["required": .int(level.rawValue), "allowed": .int(agent.maxPrivilege.rawValue)])
        }
        guard agent.isGranted(tool.name) else {
            throw ToolhostError(.forbidden, "agent \(agent.name) is not granted \(tool.name); its tools: \(agent.tools.isEmpty ? "none" : agent.tools.joined(separator: ", "))")
        }
    }

    func validateInput(_ input: JSONValue, of tool: ResolvedTool) throws(ToolhostError) {
        let result = tool.inputSchema.validate(input)
        guard !result.isValid else { return }
        let errors = result.errors.prefix(50)
        let summary = errors.prefix(3).map { "\($0.instanceLocation.isEmpty ? "/" : $0.instanceLocation): \($0.message)" }.joined(separator: "; ")
        throw ToolhostError(
            .validationFailed, "the input of \(tool.name) does not match its inputSchema: \(summary)",
            details: ["errors": .array(errors.map { error in
                ["instanceLocation": .string(error.instanceLocation), "keywordLocation": .string(error.keywordLocation),
                 "keyword": .string(error.keyword), "message": .string(error.message)]
            })])
    }

    func approvalReason(for tool: ResolvedTool, agent: Agent?) -> String? {
        if tool.privilegeLevel.requiresApproval {
            return "\(tool.name) is privilege level \(tool.privilegeLevel)"
        }
        if let agent, agent.requiresApproval(for: tool.name) {
            return "agent \(agent.name)'s policy requires approval for \(tool.name)"
        }
        return nil
    }

    /// Breaker, run, output validation, span. Input is valid and authorized by now.
    func execute(_ tool: ResolvedTool, input: JSONValue, call: ToolCall, agent: Agent?, span: SpanDraft) async throws(ToolhostError) -> ToolCallResult {
        let tenant = call.caller.tenant
        do {
            try await breakers.admit(tenant: tenant, tool: tool.name)
        } catch {
            try span.fail(error, store: traces)
            throw error
        }
        let report = ToolRunReport()
        var outcome: Result<JSONValue, ToolFailure>
        var sandboxUsage: SandboxUsage?
        do {
            let workspace = try workspace(for: call, agent: agent)
            if tool.isBuiltin {
                outcome = await runBuiltin(tool, input: input, call: call, workspace: workspace, report: report)
            } else {
                guard let sandbox else {
                    throw ToolFailure(.notConfigured, "this host has no sandbox, so packaged tools cannot run")
                }
                let run = try await PackageRunner(sandbox: sandbox, packages: packages)
                    .run(tool, input: input, secrets: declaredSecrets(of: tool, call: call), workspace: workspace)
                report.record(.init(outcome: run.sandbox.outcome, usage: run.sandbox.usage))
                outcome = run.output
            }
        } catch let failure as ToolFailure {
            outcome = .failure(failure)
        } catch let error as ToolhostError {
            outcome = .failure(ToolFailure(.internalError, error.message))
        } catch {
            outcome = .failure(ToolFailure(.internalError, "\(error)"))
        }
        if let run = report.sandboxRun {
            sandboxUsage = SandboxUsage(outcome: run.outcome.rawValue, usage: run.usage)
        }
        // A tool's output must keep its own promise; one that does not is the tool's failure.
        if case .success(let output) = outcome {
            let check = tool.outputSchema.validate(output)
            if !check.isValid {
                let first = check.errors.first.map { "\($0.instanceLocation.isEmpty ? "/" : $0.instanceLocation): \($0.message)" } ?? ""
                outcome = .failure(ToolFailure(.invalidOutput,
                                               "\(tool.name) returned output that does not match its outputSchema: \(first)"))
            }
        }
        let result = span.finish(outcome, sandbox: sandboxUsage)
        // The tool has run: what is recorded about it is best effort, and never throws the result
        // away (a caller could then run it again, an approval be released to run twice).
        do {
            try traces.record(span.span(for: result))
        } catch {
            Self.logger.error("the span of \(result.callId) (\(tool.name)) could not be recorded: \(error.message)")
        }
        let failure: String? = switch outcome {
        case .success: nil
        case .failure(let failure): Self.countsAgainstBreaker(failure.kind) ? "\(failure.kind): \(failure.message)" : nil
        }
        do {
            try await breakers.record(tenant: tenant, tool: tool.name, failure: failure)
        } catch {
            Self.logger.error("the circuit of \(tool.name) for \(tenant) could not be updated after \(result.callId): \(error.message)")
        }
        return result
    }

    private func runBuiltin(_ tool: ResolvedTool, input: JSONValue, call: ToolCall, workspace: Workspace,
                            report: ToolRunReport) async -> Result<JSONValue, ToolFailure> {
        guard let handler = BuiltinToolbox.handler(named: tool.definition.name) else {
            return .failure(ToolFailure(.internalError, "no handler is built in for \(tool.name)"))
        }
        let context = ToolContext(workspace: workspace, configuration: configuration.builtins,
                                  secrets: declaredSecrets(of: tool, call: call), sandbox: sandbox,
                                  limits: tool.definition.limits ?? ToolLimits(), report: report)
        // Off the cooperative pool: a heavy call must not hold up the server's requests.
        return await withTaskExecutorPreference(BuiltinExecutor.shared) { () async -> Result<JSONValue, ToolFailure> in
            do throws(ToolFailure) {
                return .success(try await handler.run(input, in: context))
            } catch {
                return .failure(error)
            }
        }
    }

    /// The values of the secrets `tool` declares in `permissions.secrets`, and of no others: the
    /// call's own, else the host's (`TOOLHOST_SECRET_<NAME>`). Never recorded in a span or a log.
    func declaredSecrets(of tool: ResolvedTool, call: ToolCall) -> [String: String] {
        var secrets: [String: String] = [:]
        for name in tool.definition.permissions?.secrets ?? [] {
            if let value = call.secrets[name] ?? configuration.secrets[name] { secrets[name] = value }
        }
        return secrets
    }

    /// The call's workspace: as given, else the agent's, else the API key's, under the data directory.
    /// Default workspaces are created once and remembered: building their paths and making sure the
    /// directories exist cost more than a small built-in's whole run.
    func workspace(for call: ToolCall, agent: Agent?) throws(ToolFailure) -> Workspace {
        if let given = call.workspace { return try Workspace(root: given, quota: configuration.workspaceQuota) }
        let key = agent.map { "\(call.caller.tenant)/agents/\(Self.safeName($0.id))" }
            ?? "\(call.caller.tenant)/keys/\(Self.safeName(call.caller.keyID))"
        // One access(2) keeps a workspace deleted from under a running host from staying broken.
        if let known = workspaces.withLock({ $0[key] }), access(known.root.path, F_OK) == 0 { return known }
        let tenantRoot = configuration.dataDirectory.appendingPathComponent("workspaces").appendingPathComponent(Self.safeName(call.caller.tenant))
        let root = agent.map { tenantRoot.appendingPathComponent("agents").appendingPathComponent(Self.safeName($0.id)) }
            ?? tenantRoot.appendingPathComponent("keys").appendingPathComponent(Self.safeName(call.caller.keyID))
        let workspace = try Workspace(root: root, quota: configuration.workspaceQuota)
        workspaces.withLock { $0[key] = workspace }
        return workspace
    }

    /// Failures that say the tool or what it depends on is unwell. A caller's mistake
    /// (`invalid_argument`, `not_found`, `denied`) does not open a circuit.
    static func countsAgainstBreaker(_ kind: ToolFailure.Kind) -> Bool {
        ![.invalidArgument, .notFound, .denied, .tooLarge, .memoryLimit, .cpuTimeLimit, .workspaceQuota, .cancelled].contains(kind)
    }

    static func randomID() -> String {
        UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(24).description
    }

    private static func safeName(_ text: String) -> String {
        String(text.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
    }
}
