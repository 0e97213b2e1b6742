import Foundation

/// cgroup v2: one directory in the unified hierarchy. The parent must have the memory, pids and cpu
/// controllers enabled for its children (a delegated subtree, as systemd's `Delegate=yes` gives).
struct CgroupV2Driver: CgroupDriver {
    let parent: String
    var version: Int { 2 }
    var parentDescription: String { parent }

    func create(id: String, limits: SandboxLimits) throws(CgroupError) -> any RunCgroup {
        try CgroupFiles.makeDirectory(parent)
        // Enabling controllers fails in a cgroup that holds processes; the parent is ours and empty.
        try? CgroupFiles.write("+memory +pids +cpu", to: parent + "/cgroup.subtree_control")
        let path = "\(parent)/\(CgroupFiles.runName(id))"
        try CgroupFiles.makeDirectory(path)
        let run = CgroupV2Run(path: path)
        do {
            try run.apply(limits)
        } catch {
            CgroupFiles.removeDirectory(path)
            throw error
        }
        return run
    }

    func sweep() -> Int { CgroupFiles.sweepChildren(of: parent) }
}

struct CgroupV2Run: RunCgroup {
    let path: String

    var joinPaths: [String] { [path] }

    func cpuNanoseconds() -> UInt64? {
        CgroupFiles.keyedValue("usage_usec", in: CgroupFiles.read(path + "/cpu.stat")).map { UInt64($0) * 1000 }
    }

    func peakMemoryBytes() -> Int? {
        CgroupFiles.read(path + "/memory.peak").flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    func limitEvents() -> CgroupLimitEvents {
        CgroupLimitEvents(
            oomKills: CgroupFiles.keyedValue("oom_kill", in: CgroupFiles.read(path + "/memory.events")) ?? 0,
            pidsLimitHits: CgroupFiles.keyedValue("max", in: CgroupFiles.read(path + "/pids.events")) ?? 0)
    }

    func apply(_ limits: SandboxLimits) throws(CgroupError) {
        try CgroupFiles.write(String(limits.memoryBytes), to: path + "/memory.max")
        try CgroupFiles.write("0", to: path + "/memory.swap.max")
        try CgroupFiles.write(String(limits.pids), to: path + "/pids.max")
    }

    func remove() { CgroupFiles.removeDirectory(path) }
}
