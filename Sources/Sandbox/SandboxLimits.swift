/// The hard limits of one sandboxed run. Every field has a default from `Sandbox/policy.json`;
/// a run never gets more than its privilege level's maximum.
public struct SandboxLimits: Sendable, Hashable, Codable {
    /// Memory of the whole process tree (cgroup), without swap.
    public var memoryBytes: Int
    /// Processes and threads at once (cgroup pids controller).
    public var pids: Int
    /// CPU time of the whole process tree, in milliseconds.
    public var cpuTimeMs: Int
    /// Wall-clock time from start to the last process gone, in milliseconds.
    public var wallTimeMs: Int
    /// Bytes kept of each of stdout and stderr; more ends the run with `output_limit`.
    public var outputBytes: Int
    /// The largest file the program may write (RLIMIT_FSIZE).
    public var fileSizeBytes: Int
    /// Open file descriptors per process (RLIMIT_NOFILE).
    public var openFiles: Int
    /// Size of the `/tmp` tmpfs.
    public var tmpBytes: Int
    /// Size of the `/dev/shm` tmpfs.
    public var shmBytes: Int

    public init(
        memoryBytes: Int, pids: Int, cpuTimeMs: Int, wallTimeMs: Int, outputBytes: Int,
        fileSizeBytes: Int, openFiles: Int, tmpBytes: Int, shmBytes: Int
    ) {
        self.memoryBytes = memoryBytes
        self.pids = pids
        self.cpuTimeMs = cpuTimeMs
        self.wallTimeMs = wallTimeMs
        self.outputBytes = outputBytes
        self.fileSizeBytes = fileSizeBytes
        self.openFiles = openFiles
        self.tmpBytes = tmpBytes
        self.shmBytes = shmBytes
    }

    /// Each limit lowered to `maximum`'s where it is higher: a caller may ask for less, never more.
    public func clamped(to maximum: SandboxLimits) -> SandboxLimits {
        SandboxLimits(
            memoryBytes: min(memoryBytes, maximum.memoryBytes), pids: min(pids, maximum.pids),
            cpuTimeMs: min(cpuTimeMs, maximum.cpuTimeMs), wallTimeMs: min(wallTimeMs, maximum.wallTimeMs),
            outputBytes: min(outputBytes, maximum.outputBytes), fileSizeBytes: min(fileSizeBytes, maximum.fileSizeBytes),
            openFiles: min(openFiles, maximum.openFiles), tmpBytes: min(tmpBytes, maximum.tmpBytes), shmBytes: min(shmBytes, maximum.shmBytes))
    }

    /// The name of the first limit that is not positive, for an error that names it.
    var firstInvalidLimit: String? {
        let values: [(String, Int)] = [
            ("memory", memoryBytes), ("pids", pids), ("cpu-time", cpuTimeMs), ("wall-time", wallTimeMs),
            ("output", outputBytes), ("file-size", fileSizeBytes), ("open-files", openFiles), ("tmp", tmpBytes), ("shm", shmBytes),
        ]
        return values.first { $0.1 <= 0 }?.0
    }
}
