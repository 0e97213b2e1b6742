import Foundation
import Registry
import Storage
import ToolhostCore
import Traces

/// Every store a ``ToolHost`` works with, one per concern, each behind its protocol: the registry's
/// (catalog, publishing, keys, audit log), the host's state (approvals, agents, circuits) and the
/// traces. The embedded default keeps them all in one SQLite file; stores shared by several hosts
/// (PostgreSQL) are other conformers of the same protocols.
public struct HostStores: Sendable {
    public var registry: RegistryStores
    public var approvals: any ApprovalStore
    public var agents: any AgentStore
    public var circuits: any CircuitStateStore
    public var traces: any TraceStore

    public init(registry: RegistryStores, approvals: any ApprovalStore, agents: any AgentStore,
                circuits: any CircuitStateStore, traces: any TraceStore) {
        self.registry = registry
        self.approvals = approvals
        self.agents = agents
        self.circuits = circuits
        self.traces = traces
    }

    /// The embedded stores in `database` (every table brought up to date), with the package
    /// archives in `blobs`.
    /// - Throws: ``ToolhostError`` `storage_error` when a migration fails.
    public static func sqlite(_ database: SQLiteDatabase, blobs: BlobStore) throws(ToolhostError) -> HostStores {
        let registry = try RegistryStores.sqlite(database, blobs: blobs)
        let host = try SQLiteHostStore(database: database)
        return HostStores(registry: registry, approvals: host, agents: host, circuits: host, traces: try SQLiteTraceStore(database: database))
    }
}
