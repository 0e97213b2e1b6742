import Foundation

/// cgroup v1: one directory per controller (memory, pids, cpuacct).
struct CgroupV1Driver: CgroupDriver {
    static let controllers = ["memory", "pids", "cpuacct"]
    /// Controller → parent directory of the per-run cgroups.
    let parents: [String: String]
    var version: Int { 1 }
    var parentDescription: String { parents.keys.sorted().map { parents[$0]! }.joined(separator: ", ") }

    /// The supervisor's own cgroup path for `controller`, from `/proc/self/cgroup`.
    static func ownPath(of controller: String, in membership: String) -> String {
        for line in membership.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            if fields[1].split(separator: ",").contains(Substring(controller)) { return String(fields[2]) }
        }
        return "/"
    }

    func create(id: String, limits: SandboxLimits) throws(CgroupError) -> any RunCgroup {
        var created: [String: String] = [:]
        do {
            for controller in Self.controllers {
                let parent = parents[controller]!
                try CgroupFiles.makeDirectory(parent)
                let path = "\(parent)/\(CgroupFiles.runName(id))"
                try CgroupFiles.makeDirectory(path)
                created[controller] = path
            }
            let run = CgroupV1Run(paths: created)
            try run.apply(limits)
            return run
        } catch {
            for path in created.values { CgroupFiles.removeDirectory(path) }
            throw error
        }
    }

    func sweep() -> Int {
        parents.values.reduce(0) { $0 + CgroupFiles.sweepChildren(of: $1) }
    }
}

struct CgroupV1Run: RunCgroup {
    let paths: [String: String]

    var joinPaths: [String] { CgroupV1Driver.controllers.compactMap { paths[$0] } }

    func cpuNanoseconds() -> UInt64? {
        CgroupFiles.read(paths["cpuacct"]! + "/cpuacct.usage").flatMap { UInt64($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    func peakMemoryBytes() -> Int? {
        CgroupFiles.read(paths["memory"]! + "/memory.max_usage_in_bytes").flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    func limitEvents() -> CgroupLimitEvents {
        CgroupLimitEvents(
            oomKills: CgroupFiles.keyedValue("oom_kill", in: CgroupFiles.read(paths["memory"]! + "/memory.oom_control")) ?? 0,
            pidsLimitHits: CgroupFiles.keyedValue("max", in: CgroupFiles.read(paths["pids"]! + "/pids.events")) ?? 0)
    }

    func apply(_ limits: SandboxLimits) throws(CgroupError) {
        let memory = paths["memory"]!
        // The memory+swap limit must stay at or above the memory limit while both change: lower
        // memory first when shrinking, raise memory+swap first when growing.
        let memsw = memory + "/memory.memsw.limit_in_bytes"
        let hasSwapAccounting = access(memsw, F_OK) == 0
        let current = Int(CgroupFiles.read(memory + "/memory.limit_in_bytes")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? Int.max
        if hasSwapAccounting, limits.memoryBytes > current { try CgroupFiles.write(String(limits.memoryBytes), to: memsw) }
        try CgroupFiles.write(String(limits.memoryBytes), to: memory + "/memory.limit_in_bytes")
        // memory+swap equal to memory means no swap; the file exists only with swap accounting.
        if hasSwapAccounting, limits.memoryBytes <= current { try CgroupFiles.write(String(limits.memoryBytes), to: memsw) }
        try CgroupFiles.write(String(limits.pids), to: paths["pids"]! + "/pids.max")
    }

    func remove() {
        for path in paths.values { CgroupFiles.removeDirectory(path) }
    }
}
