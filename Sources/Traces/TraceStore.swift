import Foundation
import ToolhostCore

/// Where spans are kept. The embedded store is SQLite (``SQLiteTraceStore``); a shared store for
/// several hosts would implement the same protocol.
public protocol TraceStore: Sendable {
    /// Stores one finished span. It must not wait for the store: it is on every call's path (a
    /// store may queue the span and write it with others).
    /// - Throws: ``ToolhostError`` `storage_error`.
    func record(_ span: Span) throws(ToolhostError)

    /// Makes every span recorded so far durable (a store may batch writes).
    /// - Throws: ``ToolhostError`` `storage_error`.
    func flush() async throws(ToolhostError)

    /// The latest spans of `tenant`, newest first, optionally only those of one tool.
    /// - Throws: ``ToolhostError`` `storage_error`.
    func recent(tenant: String, tool: String?, limit: Int) async throws(ToolhostError) -> [Span]

    /// The spans of one trace, oldest first.
    /// - Throws: ``ToolhostError`` `storage_error`.
    func trace(_ traceID: String, tenant: String) async throws(ToolhostError) -> [Span]
}
