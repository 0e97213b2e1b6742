/// How much one workspace may hold: the bytes of its files and the number of its entries.
///
/// The workspace lives on the filesystem that also holds the catalog, so a tenant's files must not
/// fill it. Built-in tools check the quota before they write; a sandboxed run is watched while it
/// runs and measured once more when it ends, and both fail with `workspace_quota` when they push the
/// workspace past it. Removing files is always allowed, so a workspace over its quota can be cleaned up.
///
/// ```swift
/// var request = SandboxRequest(profile: "sh", command: ["sh", "-c", "…"])
/// request.workdir = workspaceRoot
/// request.workdirQuota = WorkspaceQuota(bytes: 256 << 20, entries: 10_000)
/// ```
public struct WorkspaceQuota: Sendable, Hashable, Codable {
    /// The sum of the sizes of the regular files (a symbolic link counts its target string's length).
    public var bytes: Int
    /// Files, directories, links and other entries below the root, the root itself not counted.
    public var entries: Int

    public init(bytes: Int, entries: Int) {
        self.bytes = bytes
        self.entries = entries
    }

    /// 1 GiB and 100,000 entries: far above what a tool's scratch space needs, far below a disk.
    public static let standard = WorkspaceQuota(bytes: 1 << 30, entries: 100_000)

    /// Why `usage` is over this quota, in words that name the limit; nil when it fits.
    public func violation(by usage: WorkspaceUsage) -> String? {
        if let unmeasurable = usage.unmeasurable {
            return "the workspace cannot be measured against its quota: \(unmeasurable)"
        }
        if usage.bytes > bytes {
            return "the workspace holds \(usage.bytes) bytes, over its quota of \(bytes) bytes"
        }
        if usage.entries > entries {
            return "the workspace holds \(usage.entries) files and directories, over its quota of \(entries)"
        }
        return nil
    }

    /// Why adding `bytes` and `entries` to `usage` would go over this quota; nil when they fit.
    public func violation(adding bytes: Int, entries: Int = 0, to usage: WorkspaceUsage) -> String? {
        if let unmeasurable = usage.unmeasurable {
            return "the workspace cannot be measured against its quota: \(unmeasurable)"
        }
        if bytes > 0, usage.bytes + bytes > self.bytes {
            return "writing \(bytes) bytes would take the workspace to \(usage.bytes + bytes) bytes, over its quota of \(self.bytes) bytes"
        }
        if entries > 0, usage.entries + entries > self.entries {
            return "\(entries) more files or directories would take the workspace to \(usage.entries + entries), over its quota of \(self.entries)"
        }
        return nil
    }
}
