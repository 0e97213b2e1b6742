import Foundation
import Glibc

/// What a host needs before sandboxed runs can work, each checked the way a run would use it, for
/// `toolhost doctor`.
public enum SandboxDiagnostics {
    /// One finding: whether it holds, what was found, and how to fix it when it does not.
    public struct Finding: Sendable, Hashable {
        public var ok: Bool
        public var detail: String
        public var fix: String?

        public init(ok: Bool, detail: String, fix: String? = nil) {
            self.ok = ok
            self.detail = detail
            self.fix = fix
        }
    }

    /// User namespaces: the kernel's limit, and the switches Debian and Ubuntu add for unprivileged users.
    public static func userNamespaces() -> Finding {
        let maximum = Int(read("/proc/sys/user/max_user_namespaces") ?? "") ?? 0
        guard maximum > 0 else {
            return Finding(ok: false, detail: "user namespaces are off (user.max_user_namespaces is \(maximum))",
                           fix: "sysctl -w user.max_user_namespaces=15000 (as root), or a kernel with CONFIG_USER_NS")
        }
        if getuid() != 0 {
            if read("/proc/sys/kernel/unprivileged_userns_clone") == "0" {
                return Finding(ok: false, detail: "unprivileged user namespaces are off (kernel.unprivileged_userns_clone is 0)",
                               fix: "sysctl -w kernel.unprivileged_userns_clone=1 (as root)")
            }
            if read("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") == "1" {
                return Finding(ok: false, detail: "AppArmor restricts unprivileged user namespaces",
                               fix: "sysctl -w kernel.apparmor_restrict_unprivileged_userns=0 (as root), or an AppArmor profile for toolhost-sandbox")
            }
        }
        return Finding(ok: true, detail: "available (user.max_user_namespaces \(maximum))")
    }

    /// Seccomp filters with the actions the sandbox's filter uses.
    public static func seccomp() -> Finding {
        let status = read("/proc/self/status") ?? ""
        let actions = read("/proc/sys/kernel/seccomp/actions_avail") ?? ""
        guard status.contains("Seccomp:"), !actions.isEmpty else {
            return Finding(ok: false, detail: "the kernel has no seccomp filters", fix: "a kernel built with CONFIG_SECCOMP_FILTER")
        }
        let needed = ["kill_process", "errno", "user_notif"]
        let missing = needed.filter { !actions.split(separator: " ").map(String.init).contains($0) }
        guard missing.isEmpty else {
            return Finding(ok: false, detail: "seccomp lacks the actions \(missing.joined(separator: ", "))", fix: "Linux 5.0 or later")
        }
        return Finding(ok: true, detail: "filters with \(needed.joined(separator: ", "))")
    }

    /// A run cgroup created and removed under the parent runs would use.
    public static func cgroups(environment: [String: String] = ProcessInfo.processInfo.environment) -> Finding {
        let driver = Cgroups.detect(environment: environment)
        let id = "doctor-\(UUID().uuidString.prefix(8).lowercased())"
        do {
            let cgroup = try driver.create(id: id, limits: SandboxPolicy.fallbackDefaults)
            cgroup.remove()
            return Finding(ok: true, detail: "cgroup v\(driver.version), runs go under \(driver.parentDescription)")
        } catch {
            return Finding(ok: false, detail: "cgroup v\(driver.version): \(error.failureWithoutAdvice)",
                           fix: CgroupError.delegationAdvice(uid: getuid(), v2: driver.version == 2))
        }
    }

    private static func read(_ path: String) -> String? {
        (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
