import Foundation
import Host
import Registry
import ToolhostCore
import Traces

/// What the tools, call, approvals and traces commands ask of Toolhost, wherever it runs: a server
/// (`--server`, ``RegistryClient``) or this process over the data directory (``LocalEndpoint``).
/// A command's body is written once, against this.
protocol ToolhostEndpoint: Sendable {
    /// Tools matching `query`, best first; every match when `all` (a listing), else `query.limit`.
    func searchTools(_ query: ToolSearchQuery, all: Bool) async throws -> [ToolSummary]
    func tool(named name: String, version: SemanticVersion?) async throws -> ToolDetail
    /// `workspace` confines the file tools of a local call; a server chooses its own.
    func invoke(tool: String, input: JSONValue, agent: String?, workspace: URL?) async throws -> ToolCallOutcome
    func approvals(status: Approval.Status) async throws -> [Approval]
    func approval(id: String) async throws -> Approval
    func approve(id: String, input: JSONValue?, reason: String?) async throws -> Approval
    func reject(id: String, reason: String?) async throws -> Approval
    func spans(tool: String?, limit: Int) async throws -> [Span]
}

extension ServerOptions {
    /// The named server, or this process over `dataDirectory` when none is named.
    /// - Throws: `ValidationError` for a malformed server URL.
    func endpoint(dataDirectory: URL) throws -> any ToolhostEndpoint {
        try client(dataDirectory: dataDirectory) ?? LocalEndpoint(dataDirectory: dataDirectory)
    }
}

/// Toolhost in this process, over a data directory, as the local administrator. Every operation
/// opens the host and drains it before returning, also after a failure: refused calls are recorded
/// too, and their spans must be written before the command exits.
struct LocalEndpoint: ToolhostEndpoint {
    let dataDirectory: URL

    func searchTools(_ query: ToolSearchQuery, all: Bool) async throws -> [ToolSummary] {
        var query = query
        if all { query.limit = 1000 }
        return try await CatalogContext.open(dataDirectory: dataDirectory).searchTools(query)
    }

    func tool(named name: String, version: SemanticVersion?) async throws -> ToolDetail {
        try await CatalogContext.open(dataDirectory: dataDirectory).tool(named: name, version: version)
    }

    func invoke(tool: String, input: JSONValue, agent: String?, workspace: URL?) async throws -> ToolCallOutcome {
        var call = ToolCall(tool: tool, input: input, caller: .localAdmin, agentID: agent)
        call.workspace = workspace
        return try await withHost { host in try await host.invoke(call) }
    }

    func approvals(status: Approval.Status) async throws -> [Approval] {
        try await withHost { host in try await host.approvals(for: .localAdmin, status: status) }
    }

    func approval(id: String) async throws -> Approval {
        try await withHost { host in try await host.approval(id: id, for: .localAdmin) }
    }

    func approve(id: String, input: JSONValue?, reason: String?) async throws -> Approval {
        try await withHost { host in try await host.approve(id, by: .localAdmin, editedInput: input, reason: reason) }
    }

    func reject(id: String, reason: String?) async throws -> Approval {
        try await withHost { host in try await host.reject(id, by: .localAdmin, reason: reason) }
    }

    func spans(tool: String?, limit: Int) async throws -> [Span] {
        try await withHost { host in try await host.spans(for: .localAdmin, tool: tool, limit: limit) }
    }

    private func withHost<T>(_ body: (ToolHost) async throws -> T) async throws -> T {
        let host = try await HostContext.open(dataDirectory: dataDirectory)
        do {
            let result = try await body(host)
            await host.drain()
            return result
        } catch {
            await host.drain()
            throw error
        }
    }
}

extension RegistryClient: ToolhostEndpoint {
    func searchTools(_ query: ToolSearchQuery, all: Bool) async throws -> [ToolSummary] {
        var items: [URLQueryItem] = []
        if !query.text.isEmpty { items.append(URLQueryItem(name: "q", value: query.text)) }
        if let level = query.maxPrivilege { items.append(URLQueryItem(name: "maxPrivilege", value: String(level.rawValue))) }
        for (name, value) in [("readOnly", query.readOnly), ("destructive", query.destructive),
                              ("idempotent", query.idempotent), ("openWorld", query.openWorld)] {
            if let value { items.append(URLQueryItem(name: name, value: String(value))) }
        }
        items += query.takes.map { URLQueryItem(name: "takes", value: $0.description) }
        items += query.returns.map { URLQueryItem(name: "returns", value: $0.description) }
        return try await searchTools(items, limit: all ? nil : query.limit)
    }

    func invoke(tool: String, input: JSONValue, agent: String?, workspace: URL?) async throws -> ToolCallOutcome {
        guard workspace == nil else {
            throw ToolhostError(.invalidInput, "--workspace applies to local calls only; a server chooses the workspace")
        }
        return try await invoke(tool: tool, input: input, agent: agent)
    }

    func spans(tool: String?, limit: Int) async throws -> [Span] {
        try await traces(tool: tool, limit: limit)
    }
}
