import Foundation

/// This host process as the owner of work in the shared database: `host/pid@start`, where the start
/// time (clock ticks since boot, field 22 of `/proc/<pid>/stat`) tells a live process from a later
/// one that got the same pid.
enum HostInstance {
    static let identity: String = {
        let pid = getpid()
        return "\(machine)/\(pid)@\(startTime(of: pid) ?? "0")"
    }()

    static let machine: String = ProcessInfo.processInfo.hostName

    /// Whether `identity` names a process of this machine that has stopped. A process of another
    /// machine is not known to be gone: its lease decides.
    static func isGone(_ identity: String) -> Bool {
        guard let slash = identity.lastIndex(of: "/"), identity[..<slash] == machine else { return false }
        let tag = identity[identity.index(after: slash)...]
        guard let at = tag.firstIndex(of: "@"), let pid = Int32(tag[..<at]) else { return true }
        return startTime(of: pid) != String(tag[tag.index(after: at)...])
    }

    private static func startTime(of pid: Int32) -> String? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let end = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: end)...].split(separator: " ")
        return fields.count > 19 ? String(fields[19]) : nil
    }
}
