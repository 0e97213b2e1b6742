import Foundation
import ToolhostCore

/// The cgroup of one run: where the launcher joins, what the run used, which limits it hit.
protocol RunCgroup: Sendable {
    /// The directories the launcher joins (one per v1 controller, one for v2).
    var joinPaths: [String] { get }
    /// CPU time of every process that ran in the cgroup, in nanoseconds.
    func cpuNanoseconds() -> UInt64?
    /// The most memory the cgroup held at once, in bytes.
    func peakMemoryBytes() -> Int?
    /// How often the memory limit killed a process, and how often forking hit the pids limit.
    func limitEvents() -> CgroupLimitEvents
    /// Sets the memory (no swap) and pids limits.
    /// - Throws: ``CgroupError`` naming the file.
    func apply(_ limits: SandboxLimits) throws(CgroupError)
    /// Removes the cgroup; the run's processes must all be gone.
    func remove()
}

/// Counts of limit events in a run's cgroup.
struct CgroupLimitEvents: Sendable, Hashable {
    var oomKills = 0
    var pidsLimitHits = 0
}

/// Creates per-run cgroups under one parent, on cgroup v1 or v2 (chosen at start-up from what the
/// machine mounts), and sweeps the leftovers of runs that did not clean up (a crashed supervisor).
protocol CgroupDriver: Sendable {
    var version: Int { get }
    /// A new cgroup for run `id`, with the memory (no swap) and pids limits set.
    /// - Throws: ``CgroupError`` naming the file and errno; the run then fails closed with `setup_failed`.
    func create(id: String, limits: SandboxLimits) throws(CgroupError) -> any RunCgroup
    /// Removes every empty per-run cgroup under the parent; returns how many.
    @discardableResult func sweep() -> Int
    /// Where run cgroups go, for messages.
    var parentDescription: String { get }
}

/// A cgroup operation that failed: the file and the errno, for a `setup_failed` detail. When the
/// user may not create cgroups there, it says what is missing and how to provide it.
struct CgroupError: Error, Sendable, CustomStringConvertible {
    var path: String
    var code: Int32
    var description: String {
        guard [EACCES, EPERM, EROFS].contains(code) else { return failureWithoutAdvice }
        return failureWithoutAdvice + ". "
            + Self.delegationAdvice(uid: getuid(), v2: FileManager.default.fileExists(atPath: "/sys/fs/cgroup/cgroup.controllers"))
    }

    /// The file and the errno alone.
    var failureWithoutAdvice: String { "cgroup \(path): \(String(cString: strerror(code))) (errno \(code))" }

    /// What an operator without a writable cgroup must do; the README's "Running without root" says more.
    static func delegationAdvice(uid: uid_t, v2: Bool) -> String {
        let why = "The sandbox fails closed: every run needs a cgroup of its own for its memory and pids limits, "
            + "and uid \(uid) may not create one there. Delegate a cgroup to this user and name it in \(Cgroups.parentVariable). "
        if v2 {
            return why + "On this machine (cgroup v2): start Toolhost in a delegated scope, "
                + "`systemd-run --user --scope -p Delegate=yes toolhost serve` (runs then go below the scope), or see the README for "
                + "delegating /sys/fs/cgroup/toolhost by hand."
        }
        return why + "On this machine (cgroup v1), as root: `for c in \(CgroupV1Driver.controllers.joined(separator: " ")); do "
            + "mkdir -p /sys/fs/cgroup/$c/toolhost && chown -R \(uid) /sys/fs/cgroup/$c/toolhost; done`, "
            + "then run Toolhost with \(Cgroups.parentVariable)=/toolhost."
    }
}

/// Picks the cgroup driver for this machine.
enum Cgroups {
    /// The environment variable naming the parent cgroup (relative to each controller's mount);
    /// by default the supervisor's own cgroup plus `/toolhost-sandbox`, so runs stay inside the
    /// limits of the process that started them.
    static let parentVariable = "TOOLHOST_CGROUP_PARENT"

    /// The driver for this machine: v2 when the unified hierarchy holds the controllers, v1 otherwise.
    static func detect(environment: [String: String] = ProcessInfo.processInfo.environment) -> any CgroupDriver {
        let membership = (try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8)) ?? ""
        let configured = environment[parentVariable].flatMap { $0.isEmpty ? nil : $0 }
        if FileManager.default.fileExists(atPath: "/sys/fs/cgroup/cgroup.controllers") {
            let own = membership.split(separator: "\n").first { $0.hasPrefix("0::") }.map { String($0.dropFirst(3)) } ?? "/"
            return CgroupV2Driver(parent: "/sys/fs/cgroup" + (configured ?? join(own, "toolhost-sandbox")))
        }
        var parents: [String: String] = [:]
        for controller in CgroupV1Driver.controllers {
            let own = CgroupV1Driver.ownPath(of: controller, in: membership)
            parents[controller] = "/sys/fs/cgroup/\(controller)" + (configured ?? join(own, "toolhost-sandbox"))
        }
        return CgroupV1Driver(parents: parents)
    }

    private static func join(_ base: String, _ name: String) -> String {
        base.hasSuffix("/") ? base + name : base + "/" + name
    }
}

/// Small file helpers for cgroupfs, which reports failures through errno.
enum CgroupFiles {
    static func write(_ text: String, to path: String) throws(CgroupError) {
        let descriptor = open(path, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw CgroupError(path: path, code: errno) }
        defer { close(descriptor) }
        let written = text.withCString { Glibc.write(descriptor, $0, strlen($0)) }
        guard written >= 0 else { throw CgroupError(path: path, code: errno) }
    }

    static func read(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = Glibc.read(descriptor, &buffer, buffer.count)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }

    static func makeDirectory(_ path: String) throws(CgroupError) {
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else { throw CgroupError(path: path, code: errno) }
    }

    /// Removes a cgroup directory, retrying briefly: the kernel may still be tearing down the last task.
    static func removeDirectory(_ path: String) {
        for attempt in 0..<50 {
            if rmdir(path) == 0 || errno == ENOENT { return }
            guard errno == EBUSY else { return }
            usleep(attempt < 10 ? 200 : 2000)
        }
    }

    /// The value of `key` in a flat keyed file such as `memory.events` (`oom_kill 3`).
    static func keyedValue(_ key: String, in text: String?) -> Int? {
        for line in (text ?? "").split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, parts[0] == key { return Int(parts[1]) }
        }
        return nil
    }

    /// Removes every empty subdirectory of `parent` (a busy cgroup refuses, which is what keeps a
    /// concurrent supervisor's live runs safe).
    static func sweepChildren(of parent: String) -> Int {
        guard let children = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return 0 }
        var removed = 0
        for child in children where child.hasPrefix("run-") && !ownerIsAlive(child) {
            if rmdir(parent + "/" + child) == 0 { removed += 1 }
        }
        return removed
    }

    /// A run cgroup's name: `run-<owner>-<id>`, where the owner is this supervisor's pid and start
    /// time (`4242@1234567`). Several supervisors share the parent, and one starting up sweeps the
    /// run cgroups that are empty: a live supervisor's cgroup is empty too in the moment between
    /// its creation and the launcher's join, so only cgroups whose owner is gone are swept.
    static func runName(_ id: String) -> String { "run-\(owner)-\(id)" }

    /// This process as `pid@starttime` (field 22 of /proc/self/stat, in clock ticks since boot),
    /// which no later process with the same pid can share.
    static let owner: String = {
        let pid = getpid()
        return "\(pid)@\(startTime(of: pid) ?? "0")"
    }()

    /// Whether the supervisor named in a run cgroup's name still runs. Names without an owner
    /// (older versions) count as orphaned.
    static func ownerIsAlive(_ name: String) -> Bool {
        let parts = name.dropFirst("run-".count).split(separator: "-", maxSplits: 1)
        guard let tag = parts.first, let at = tag.firstIndex(of: "@"), let pid = Int32(tag[..<at]) else { return false }
        return startTime(of: pid) == String(tag[tag.index(after: at)...])
    }

    private static func startTime(of pid: Int32) -> String? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let end = stat.lastIndex(of: ")") else { return nil }
        // Fields after the command: state is field 3, so start time (22) is the 20th here.
        let fields = stat[stat.index(after: end)...].split(separator: " ")
        return fields.count > 19 ? String(fields[19]) : nil
    }
}
