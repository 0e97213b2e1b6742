import CSandboxSupport
import Foundation
import Glibc
import Testing

@testable import Sandbox

/// Building blocks of the adversarial suites (`Adversarial+*.swift`): programs written the way an
/// attacker would write them, run in the real sandbox with the system Python.
///
/// Every case asserts two things: the exact outcome the sandbox reports, and that the host did not
/// notice (``SandboxFixture/hostUnaffected(sourceLocation:_:)``: no cgroup, process, SysV object,
/// descriptor, zombie or temporary file left behind), plus what that case could have touched.
enum Attack {
    /// The x86_64 audit architecture, as the kernel reports it in seccomp notifications.
    static let x86_64: UInt32 = 0xc000_003e

    /// Python that loads libc with ctypes and defines `raw(nr, *args)`, which makes system call `nr`
    /// directly (no wrapper that might refuse first) and returns `(result, errno name)`.
    static let ctypesPrelude = """
        import ctypes, errno, json, os, sys
        libc = ctypes.CDLL(None, use_errno=True)
        libc.syscall.restype = ctypes.c_long
        def raw(nr, *args):
            result = libc.syscall(ctypes.c_long(nr), *[ctypes.c_long(a) for a in args])
            code = ctypes.get_errno()
            return result, errno.errorcode.get(code, str(code))
        """

    /// `body` after ``ctypesPrelude``.
    static func python(_ body: String) -> String { ctypesPrelude + "\n" + body }

    /// A unique file name for a marker that an attack tries to create where it must not.
    static func markerName() -> String { "toolhost-escape-\(UUID().uuidString.prefix(13).lowercased())" }

    /// Measures how long `body` takes, in seconds, on a monotonic clock.
    static func timed<T>(_ body: () async throws -> T) async rethrows -> (T, Double) {
        let start = Monotonic.now
        let value = try await body()
        return (value, Monotonic.now - start)
    }

    /// The JSON object a Python attack printed as its last line of output.
    static func report(_ result: SandboxResult) throws -> [String: Any] {
        let line = SandboxFixture.text(result.stdout).split(separator: "\n").last.map(String.init) ?? ""
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
        return try #require(object as? [String: Any], "expected a JSON object, got \(line.debugDescription)")
    }

    /// `lstat` of a host path: nil when nothing is there.
    static func hostStat(_ path: String) -> stat? {
        var info = stat()
        return lstat(path, &info) == 0 ? info : nil
    }
}

/// A raw system call by name and x86_64 number, for parameterized cases.
struct RawSyscall: Sendable, CustomTestStringConvertible {
    var name: String
    var number: Int
    /// Arguments that do nothing harmful should the call ever get through (null pointers, zero flags).
    var arguments: [Int] = []

    var testDescription: String { "\(name) (\(number))" }
}

/// Host processes the tests start themselves (a canary, the CLI under `setpriv`), with posix_spawn
/// rather than Foundation's Process: Process gives the calling thread a run loop whose descriptors
/// outlive the call, which would blur the descriptor counts that the host checks compare.
enum HostCommand {
    /// What a finished command printed and how it ended.
    struct Output: Sendable, CustomStringConvertible {
        var status: Int32
        var stdout: Data
        var stderr: Data

        /// The exit code, or nil when a signal ended the command.
        var exitCode: Int32? { status & 0x7f == 0 ? (status >> 8) & 0xff : nil }

        var description: String {
            "exit \(exitCode.map(String.init) ?? "signal \(status & 0x7f)"), stdout \(String(decoding: stdout, as: UTF8.self).debugDescription), "
                + "stderr \(String(decoding: stderr, as: UTF8.self).debugDescription)"
        }
    }

    /// Starts `executable` with its output on `/dev/null`; the caller kills and reaps it (``reap(_:)``).
    static func start(_ executable: String, _ arguments: [String]) throws -> pid_t {
        try spawn(executable, arguments, environment: [:], output: nil)
    }

    /// Waits for `pid` and returns its wait status.
    @discardableResult static func reap(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status
    }

    /// Runs `executable` to its end on a thread of its own (it blocks), collecting both output streams.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try runBlocking(executable, arguments, environment: environment) }) }
            thread.start()
        }
    }

    private static func runBlocking(_ executable: String, _ arguments: [String], environment: [String: String]) throws -> Output {
        var out: [Int32] = [-1, -1]
        var err: [Int32] = [-1, -1]
        guard toolhost_pipe_cloexec(&out) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        guard toolhost_pipe_cloexec(&err) == 0 else {
            close(out[0]); close(out[1])
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        let pid: pid_t
        do {
            defer { close(out[1]); close(err[1]) }
            pid = try spawn(executable, arguments, environment: environment, output: (out[1], err[1]))
        } catch {
            close(out[0]); close(err[0])
            throw error
        }
        var collected: [Int32: Data] = [out[0]: Data(), err[0]: Data()]
        var open = [out[0], err[0]]
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !open.isEmpty {
            var descriptors = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            guard poll(&descriptors, nfds_t(descriptors.count), -1) >= 0 || errno == EINTR else { break }
            for entry in descriptors where entry.revents != 0 {
                let count = read(entry.fd, &buffer, buffer.count)
                if count > 0 {
                    collected[entry.fd, default: Data()].append(contentsOf: buffer[..<count])
                } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                    close(entry.fd)
                    open.removeAll { $0 == entry.fd }
                }
            }
        }
        for descriptor in open { close(descriptor) }
        return Output(status: reap(pid), stdout: collected[out[0]] ?? Data(), stderr: collected[err[0]] ?? Data())
    }

    private static func spawn(_ executable: String, _ arguments: [String], environment: [String: String], output: (Int32, Int32)?) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if let (stdout, stderr) = output {
            posix_spawn_file_actions_adddup2(&actions, stdout, 1)
            posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }
        // Only the standard streams: a long-lived child (the canary sleeps 600 s) must not keep a
        // descriptor another test opened meanwhile, such as the write end of a freshly copied binary.
        toolhost_spawn_close_from(&actions, 3)
        // Default dispositions and an empty mask: the test runner's blocked signals must not reach the child.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EIO) }
        return pid
    }
}
