import Foundation
import ToolhostCore

/// A seccomp allowlist as written in `Sandbox/profiles/NAME.json`: syscalls allowed outright,
/// syscalls allowed only with certain arguments, and syscalls that fail softly with an errno.
/// Everything else ends the run as `syscall_blocked`.
public struct SeccompProfile: Sendable, Hashable, Codable {
    /// A condition on one argument of a syscall.
    public struct Condition: Sendable, Hashable, Codable {
        public var arg: Int
        /// `eq`, `ne`, `masked_eq` or `masked_ne`.
        public var op: String
        /// A number (decimal or 0x hex) or a symbolic constant such as `AF_UNIX`.
        public var value: String
        public var mask: String?

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            arg = try container.decode(Int.self, forKey: .arg)
            op = try container.decode(String.self, forKey: .op)
            // Values may be written as JSON numbers or strings; both mean the same.
            if let number = try? container.decode(Int.self, forKey: .value) {
                value = String(number)
            } else {
                value = try container.decode(String.self, forKey: .value)
            }
            mask = try container.decodeIfPresent(String.self, forKey: .mask)
        }
    }

    /// A syscall allowed when every condition holds (and, with `network`, only for runs with
    /// network; with `processes`, only for runs that may start other processes).
    public struct Rule: Sendable, Hashable, Codable {
        public var syscall: String
        public var network: Bool?
        public var processes: Bool?
        public var when: [Condition]
    }

    public var name: String
    public var extends: String?
    public var allow: [String]
    /// Syscall → errno name (e.g. `clone3: ENOSYS`, so glibc falls back to `clone`, whose flags can be checked).
    public var errno: [String: String]?
    public var rules: [Rule]?

    /// System calls no profile may allow, in any form: they reach outside the sandbox or into the kernel's
    /// most attacked interfaces. A profile that names one is refused when it is loaded.
    public static let neverAllowed: Set<String> = [
        "mount", "umount2", "pivot_root", "chroot", "move_mount", "open_tree", "fsopen", "fsmount", "fsconfig", "fspick",
        "mount_setattr", "unshare", "setns", "ptrace", "process_vm_readv", "process_vm_writev", "bpf", "perf_event_open",
        "keyctl", "add_key", "request_key", "io_uring_setup", "io_uring_enter", "io_uring_register", "userfaultfd",
        "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module",
        "shmget", "shmat", "shmdt", "shmctl", "msgget", "msgsnd", "msgrcv", "msgctl", "semget", "semop", "semctl", "semtimedop",
        "clock_settime", "clock_adjtime", "settimeofday", "adjtimex", "mknod", "mknodat", "seccomp", "reboot",
        "swapon", "swapoff", "acct", "quotactl", "name_to_handle_at", "open_by_handle_at", "iopl", "ioperm", "syslog",
        "setuid", "setgid", "setreuid", "setregid", "setresuid", "setresgid", "setgroups", "capset",
    ]

    /// Reads every profile in `directory` and resolves `extends`, so each profile lists all it allows.
    /// - Throws: ``ToolhostError`` `invalid_input` naming the file and the offending syscall.
    static func loadAll(from directory: URL) throws(ToolhostError) -> [String: SeccompProfile] {
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }.sorted()
        } catch {
            throw ToolhostError(.storage, "\(directory.path): cannot list the seccomp profiles: \(error.localizedDescription)")
        }
        var raw: [String: SeccompProfile] = [:]
        for file in files {
            let url = directory.appendingPathComponent(file)
            let profile: SeccompProfile = try SandboxPolicy.decode(url)
            guard profile.name + ".json" == file else {
                throw ToolhostError(.invalidInput, "\(url.path): name: expected \"\(file.dropLast(5))\" (the file's name), got \"\(profile.name)\"")
            }
            let named = Set(profile.allow + (profile.rules ?? []).map(\.syscall) + (profile.errno ?? [:]).keys)
            if let forbidden = named.intersection(neverAllowed).sorted().first {
                throw ToolhostError(.invalidInput, "\(url.path): allows \"\(forbidden)\", which no sandbox profile may allow")
            }
            raw[profile.name] = profile
        }
        var resolved: [String: SeccompProfile] = [:]
        for name in raw.keys {
            resolved[name] = try flatten(name, in: raw, seen: [])
        }
        return resolved
    }

    private static func flatten(_ name: String, in profiles: [String: SeccompProfile], seen: Set<String>) throws(ToolhostError) -> SeccompProfile {
        guard var profile = profiles[name] else {
            throw ToolhostError(.invalidInput, "seccomp profile \"\(name)\" does not exist")
        }
        guard let parentName = profile.extends else { return profile }
        guard !seen.contains(parentName) else {
            throw ToolhostError(.invalidInput, "seccomp profile \"\(name)\" extends itself through \"\(parentName)\"")
        }
        let parent = try flatten(parentName, in: profiles, seen: seen.union([name]))
        profile.allow = Array(Set(parent.allow + profile.allow)).sorted()
        profile.errno = (parent.errno ?? [:]).merging(profile.errno ?? [:]) { _, own in own }
        profile.rules = (parent.rules ?? []) + (profile.rules ?? [])
        profile.extends = nil
        return profile
    }
}
