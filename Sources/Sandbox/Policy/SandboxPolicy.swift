import Foundation
import ToolhostCore

/// The sandbox's policy as data, read from `Sandbox/`: seccomp profiles, the mount layout, the fixed
/// environment, and the default and maximum limits per privilege level.
public struct SandboxPolicy: Sendable {
    /// What every sandbox sees: read-only host paths, symlinks of the merged-/usr layout, the workdir.
    public struct Mounts: Sendable, Codable {
        public var readOnly: [String]
        /// Bound when they exist on the host (their absence is not an error).
        public var readOnlyIfPresent: [String]
        /// Bound only for runs with the host's network (DNS and TLS configuration).
        public var networkOnly: [String]
        public var symlinks: [String: String]
        public var workdir: String
        public var packageDir: String
    }

    /// The host uid and gid a root supervisor's sandboxes run as.
    public struct HostIdentity: Sendable, Codable {
        public var uid: UInt32
        public var gid: UInt32
    }

    private struct Document: Codable {
        var mounts: Mounts
        var environment: [String: String]
        var hostIdentity: HostIdentity
        var defaults: SandboxLimits
        var maximumsByPrivilege: [String: SandboxLimits]
    }

    public var mounts: Mounts
    /// The whole environment of a sandboxed program, before a request's additions.
    public var environment: [String: String]
    public var hostIdentity: HostIdentity
    public var defaults: SandboxLimits
    public var maximumsByPrivilege: [PrivilegeLevel: SandboxLimits]
    public var profiles: [String: SeccompProfile]

    /// Limits for requests made before a policy is loaded; the policy file's defaults replace them.
    public static let fallbackDefaults = SandboxLimits(
        memoryBytes: 256 << 20, pids: 64, cpuTimeMs: 10_000, wallTimeMs: 30_000, outputBytes: 1 << 20,
        fileSizeBytes: 64 << 20, openFiles: 256, tmpBytes: 64 << 20, shmBytes: 16 << 20)

    /// The environment variable that points at the `Sandbox/` folder.
    public static let directoryVariable = "TOOLHOST_SANDBOX_DIR"

    /// Reads `policy.json` and every profile in `profiles/` under `directory` (found with
    /// ``ProjectFolder`` when nil).
    /// - Throws: ``ToolhostError`` `invalid_input` naming the file and what is wrong, including a
    ///   profile that allows a system call that is never allowed.
    public static func load(from directory: URL? = nil) throws(ToolhostError) -> SandboxPolicy {
        guard let directory = directory ?? ProjectFolder.locate("Sandbox", containing: "profiles/base.json", variable: directoryVariable)
        else {
            throw ToolhostError(.storage, "cannot find the sandbox policy folder (Sandbox/); set \(directoryVariable)")
        }
        let policyFile = directory.appendingPathComponent("policy.json")
        let document: Document = try decode(policyFile)
        var levels: [PrivilegeLevel: SandboxLimits] = [:]
        for (key, limits) in document.maximumsByPrivilege {
            guard let number = Int(key), let level = PrivilegeLevel(rawValue: number) else {
                throw ToolhostError(.invalidInput, "\(policyFile.path): maximumsByPrivilege: \"\(key)\" is not a privilege level 1-5")
            }
            levels[level] = limits
        }
        let profiles = try SeccompProfile.loadAll(from: directory.appendingPathComponent("profiles"))
        return SandboxPolicy(mounts: document.mounts, environment: document.environment, hostIdentity: document.hostIdentity,
                             defaults: document.defaults,
                             maximumsByPrivilege: levels, profiles: profiles)
    }

    /// What a tool's manifest gets for the limits it leaves out: the policy's defaults within each
    /// level's maximums, as a packaged tool's run would get them.
    public var toolLimitDefaults: ToolLimitDefaults {
        var byLevel: [PrivilegeLevel: ToolLimits] = [:]
        for level in PrivilegeLevel.allCases {
            let limits = defaults.clamped(to: maximum(for: level))
            byLevel[level] = ToolLimits(timeoutMs: limits.wallTimeMs, memoryBytes: limits.memoryBytes, outputBytes: limits.outputBytes)
        }
        return ToolLimitDefaults(byLevel: byLevel)
    }

    /// The limits a tool of `level` may have at most (the strictest level's when the policy has no entry).
    public func maximum(for level: PrivilegeLevel) -> SandboxLimits {
        maximumsByPrivilege[level] ?? maximumsByPrivilege[.readOnly] ?? defaults
    }

    static func decode<T: Decodable>(_ file: URL) throws(ToolhostError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(contentsOf: file))
        } catch let error as DecodingError {
            throw ToolhostError(.invalidInput, "\(file.path): \(error.fieldDescription)")
        } catch {
            throw ToolhostError(.invalidInput, "\(file.path): cannot read: \(error.localizedDescription)")
        }
    }
}
