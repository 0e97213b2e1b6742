import CSandboxSupport
import Glibc
import Synchronization

/// Tells a run's supervisor that its caller went away (the calling task was cancelled), and wakes
/// it from poll(2) at once: the supervisor then kills the run's whole process tree, as for a limit.
final class RunCancellation: Sendable {
    private let cancelled = Atomic<Bool>(false)
    /// A pipe the supervisor polls; one byte is written to it on cancellation.
    private let ends: (read: Int32, write: Int32)

    init() {
        var pair: [Int32] = [-1, -1]
        if toolhost_pipe_cloexec(&pair) == 0 {
            _ = toolhost_set_nonblocking(pair[1])
            ends = (pair[0], pair[1])
        } else {
            ends = (-1, -1)  // without the pipe, the supervisor still sees the flag at its next wake-up
        }
    }

    deinit {
        if ends.read >= 0 { close(ends.read) }
        if ends.write >= 0 { close(ends.write) }
    }

    /// Whether the run was cancelled.
    var isCancelled: Bool { cancelled.load(ordering: .acquiring) }

    /// The descriptor that becomes readable on cancellation, for poll; -1 when there is none.
    var descriptor: Int32 { ends.read }

    func cancel() {
        guard !cancelled.exchange(true, ordering: .acquiringAndReleasing), ends.write >= 0 else { return }
        var byte: UInt8 = 1
        _ = write(ends.write, &byte, 1)
    }
}
