import Glibc
import Sandbox

extension Workspace {
    /// What the workspace holds now, or nil when it has no quota (nothing needs measuring then).
    /// - Throws: ``ToolFailure`` `internal_error` when the root cannot be opened.
    public func usage() throws(ToolFailure) -> WorkspaceUsage? {
        guard quota != nil else { return nil }
        let root = try rootDescriptor()
        defer { close(root) }
        return WorkspaceUsage.measure(directory: root)
    }

    /// Refuses, before anything is written, a change that would add `bytes` and `entries` beyond
    /// the quota. Removing files needs no room, so a workspace over its quota can always be cleaned up.
    /// - Throws: ``ToolFailure`` `workspace_quota` naming the limit, the usage and what was to be added.
    public func ensureRoom(forBytes bytes: Int, entries: Int = 0, field: String) throws(ToolFailure) {
        guard let quota, bytes > 0 || entries > 0, let usage = try usage() else { return }
        if let violation = quota.violation(adding: bytes, entries: entries, to: usage) {
            throw ToolFailure(.workspaceQuota, "\(field): \(violation)")
        }
    }

    /// The bytes that may still be added under the quota (0 when it is used up), nil without a quota.
    public func bytesLeft() throws(ToolFailure) -> Int? {
        guard let quota, let usage = try usage() else { return nil }
        if usage.unmeasurable != nil { return 0 }
        return max(0, quota.bytes - usage.bytes)
    }

    /// Checks, after a write whose size could not be known before, that the workspace is within
    /// its quota; when it is not, `undo` removes what the write added and the call fails.
    /// - Throws: ``ToolFailure`` `workspace_quota` naming the limit and the usage.
    public func ensureWithinQuota(field: String, undo: () -> Void) throws(ToolFailure) {
        guard let quota, let usage = try usage(), let violation = quota.violation(by: usage) else { return }
        undo()
        throw ToolFailure(.workspaceQuota, "\(field): \(violation); nothing was written")
    }
}
