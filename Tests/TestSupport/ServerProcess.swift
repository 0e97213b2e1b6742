import Foundation
import Glibc

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real `toolhost serve` on a free loopback port, started as a user starts it, for the length of
/// one test (the server and CLI suites share it).
///
/// The server runs under a small `sh` whose standard input is a pipe whose write end only this
/// process holds (close-on-exec, so no other child inherits it). When the test ends — normally, by
/// a failed `#require`, or because the test process itself died — the pipe closes and `sh` stops
/// the server: SIGTERM (a graceful shutdown), SIGKILL ten seconds later. No server outlives its test.
///
/// It is spawned with `posix_spawn` rather than `Process` to give it an empty signal mask: the test
/// runner's threads block most signals, a spawned child inherits that mask, and a server that
/// blocks SIGTERM can only be killed, not shut down.
public final class ServerProcess: @unchecked Sendable {
    public let port: Int
    public let dataDirectory: URL
    private let pid: pid_t
    private var lifeline: Int32
    private var exited = false
    private let logFile: URL

    /// The server's base URL, as `--server` takes it.
    public var url: String { "http://127.0.0.1:\(port)" }

    /// The local tenant's admin key, which the server wrote on first start.
    public var adminKey: String {
        get throws {
            try String(contentsOf: dataDirectory.appendingPathComponent("admin.key"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// What the server logged so far.
    public var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    /// The built `toolhost`, next to the test bundle in the build's products folder.
    public static var executable: URL {
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("toolhost"),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("toolhost"),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent(".build/debug/toolhost"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[2]
    }

    deinit {
        if lifeline >= 0 { close(lifeline) }
    }

    /// What went wrong starting or stopping a server.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    private init(port: Int, dataDirectory: URL, logFile: URL) throws {
        self.port = port
        self.dataDirectory = dataDirectory
        self.logFile = logFile
        let arguments = [
            "/bin/sh", "-c", Self.supervisor, "toolhost-test-server",
            Self.executable.path, "serve", "--host", "127.0.0.1", "--port", String(port), "--data-dir", dataDirectory.path,
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["TOOLHOST_SERVER"] = nil
        environment["TOOLHOST_KEY"] = nil
        (pid, lifeline) = try Self.spawn(arguments, environment: environment.map { "\($0.key)=\($0.value)" }, log: logFile.path)
    }

    /// Runs the server in the background and stops it when standard input (the lifeline) closes.
    private static let supervisor = """
        "$@" </dev/null & server=$!
        cat >/dev/null
        kill -TERM "$server" 2>/dev/null
        ( sleep 10; kill -KILL "$server" 2>/dev/null ) >/dev/null 2>&1 </dev/null & reaper=$!
        wait "$server"
        kill "$reaper" 2>/dev/null
        """

    /// Spawns `arguments` with an empty signal mask and default dispositions, standard input the
    /// read end of a new pipe and output appended to `log`; returns the pid and the pipe's write end.
    private static func spawn(_ arguments: [String], environment: [String], log: String) throws -> (pid_t, Int32) {
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { throw Failure(description: "pipe: errno \(errno)") }
        // Neither end may leak into another child (a CLI run, another server): the supervisor must
        // see end-of-file as soon as this process closes or loses its end.
        _ = fcntl(pipeEnds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(pipeEnds[1], F_SETFD, FD_CLOEXEC)
        defer { close(pipeEnds[0]) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[0], 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, envp)
        guard status == 0 else {
            close(pipeEnds[1])
            throw Failure(description: "posix_spawn \(arguments[0]): errno \(status)")
        }
        return (pid, pipeEnds[1])
    }

    /// Starts a server on `dataDirectory` (its log in `logDirectory`, by default next to it) and
    /// waits until it answers `/healthz`.
    /// - Throws: ``Failure`` with the server's log when it does not come up.
    public static func start(dataDirectory: URL, logDirectory: URL? = nil) async throws -> ServerProcess {
        let logDirectory = logDirectory ?? dataDirectory.deletingLastPathComponent()
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw Failure(description: "\(executable.path) is missing: build it first (swift build --build-tests builds it)")
        }
        var lastError: (any Error)?
        // A free port can be taken by someone else between choosing it and binding it; try again then.
        for attempt in 1...3 {
            let server = try ServerProcess(
                port: try freePort(), dataDirectory: dataDirectory, logFile: logDirectory.appendingPathComponent("server-\(attempt).log"))
            do {
                try await server.waitUntilHealthy()
                return server
            } catch {
                await server.stop()
                lastError = error
            }
        }
        throw lastError!
    }

    /// Polls `/healthz` until it answers 200 or the server exits. It gives up only once 60 s have
    /// passed *and* 100 probes have failed: while the test process's own threads are busy with other
    /// tests the loop may not run for a long time, and the server is not to blame for that.
    private func waitUntilHealthy() async throws {
        let deadline = Date().addingTimeInterval(60)
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        var failedProbes = 0
        while Date() < deadline || failedProbes < 100 {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                exited = true
                throw Failure(description: "toolhost serve stopped (wait status \(status)) before answering /healthz:\n\(log)")
            }
            var request = URLRequest(url: URL(string: "\(url)/healthz")!)
            request.timeoutInterval = 2
            if let (_, response) = try? await session.data(for: request), (response as? HTTPURLResponse)?.statusCode == 200 {
                return
            }
            failedProbes += 1
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Failure(description: "toolhost serve did not answer /healthz on port \(port) within 60 s and \(failedProbes) tries:\n\(log)")
    }

    /// `kill -9` of the server itself: no clean-up of any kind runs in it. Returns once it and its
    /// supervisor are gone.
    public func kill9() {
        // The supervisor's one child is the server.
        if let children = try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8) {
            for child in children.split(separator: " ").compactMap({ pid_t($0) }) { kill(child, SIGKILL) }
        }
        if lifeline >= 0 {
            close(lifeline)
            lifeline = -1
        }
        guard !exited else { return }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        exited = true
    }

    /// Stops the server (closing the lifeline) and waits, off the cooperative pool, until it and its
    /// supervisor are gone: a graceful shutdown may take seconds.
    public func stop() async {
        if lifeline >= 0 {
            close(lifeline)
            lifeline = -1
        }
        guard !exited else { return }
        let pid = pid
        _ = try? await offPool {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        }
        exited = true
    }

    /// A TCP port on 127.0.0.1 that nothing listens on right now.
    public static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard bound else { throw Failure(description: "bind: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
