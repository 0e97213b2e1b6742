import CSandboxSupport
import Foundation
import Glibc

/// A running launcher: its pid and the supervisor's ends of its pipes.
struct LauncherProcess {
    var pid: pid_t
    var stdout: Int32
    var stderr: Int32
    var status: Int32
    /// The write end of the program's standard input, when the request gave input.
    var stdin: Int32?

    /// Starts `launcher` with `arguments`, its standard streams on fresh pipes, the status pipe at
    /// fd 3 and the seccomp program at fd 4. Every descriptor the supervisor makes is close-on-exec,
    /// so concurrent launches never inherit each other's pipes.
    /// - Returns: the process, or the errno of the step that failed.
    static func spawn(launcher: String, arguments: [String], seccomp: Int32, input: Bool) -> Result<LauncherProcess, SpawnFailure> {
        spawn(launcher: launcher, arguments: arguments, extra: (seccomp, LauncherCommand.seccompDescriptor), input: input)
            .map(\.process)
    }

    /// Starts a prewarmed launcher (`--prewarm`, see `Sources/toolhost-sandbox/main.c`): it joins
    /// `cgroupPaths` now and waits on the returned request socket for its run. Standard input is
    /// always a pipe, since whether the run has input is not known yet.
    static func spawnPrewarmed(launcher: String, cgroupPaths: [String]) -> Result<(process: LauncherProcess, request: Int32), SpawnFailure> {
        var ends: [Int32] = [0, 0]
        guard toolhost_seqpacket_pair(&ends) == 0 else { return .failure(SpawnFailure(stage: "socketpair", code: errno)) }
        defer { close(ends[1]) }
        let arguments = ["--prewarm", "--status-fd", String(LauncherCommand.statusDescriptor),
                         "--request-fd", String(requestDescriptor), "--die-with-parent"] + cgroupPaths.flatMap { ["--cgroup", $0] }
        let spawned = spawn(launcher: launcher, arguments: arguments, extra: (ends[1], requestDescriptor), input: true)
        guard case .success(let launched) = spawned else {
            close(ends[0])
            return spawned.map { ($0.process, -1) }
        }
        return .success((launched.process, ends[0]))
    }

    /// Where a prewarmed launcher finds its request socket.
    static let requestDescriptor: Int32 = 5

    private static func spawn(
        launcher: String, arguments: [String], extra: (descriptor: Int32, target: Int32), input: Bool
    ) -> Result<(process: LauncherProcess, Void), SpawnFailure> {
        var opened: [Int32] = []
        func pipePair(_ stage: String) throws(SpawnFailure) -> (read: Int32, write: Int32) {
            var ends: [Int32] = [0, 0]
            guard toolhost_pipe_cloexec(&ends) == 0 else { throw SpawnFailure(stage: stage, code: errno) }
            opened += ends
            return (ends[0], ends[1])
        }
        /// A copy at 10 or above, so that dup2 to 0…4 in the child never meets an equal number
        /// (dup2 of a descriptor onto itself would keep its close-on-exec flag).
        func high(_ descriptor: Int32) throws(SpawnFailure) -> Int32 {
            let copy = toolhost_dup_cloexec(descriptor, 10)
            guard copy >= 0 else { throw SpawnFailure(stage: "dup", code: errno) }
            opened.append(copy)
            return copy
        }
        defer { for descriptor in opened { close(descriptor) } }
        do {
            let output = try pipePair("pipe")
            let errors = try pipePair("pipe")
            let status = try pipePair("pipe")
            let standardInput = input ? try pipePair("pipe") : nil
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            if let standardInput {
                posix_spawn_file_actions_adddup2(&actions, try high(standardInput.read), 0)
            } else {
                posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            }
            posix_spawn_file_actions_adddup2(&actions, try high(output.write), 1)
            posix_spawn_file_actions_adddup2(&actions, try high(errors.write), 2)
            posix_spawn_file_actions_adddup2(&actions, try high(status.write), LauncherCommand.statusDescriptor)
            posix_spawn_file_actions_adddup2(&actions, try high(extra.descriptor), extra.target)
            // Nothing else of this process: a descriptor someone opened without close-on-exec would
            // otherwise stay open in the launcher (for as long as a prewarmed one waits), keeping a
            // file busy or a pipe from reaching end-of-file.
            guard toolhost_spawn_close_from(&actions, max(extra.target, LauncherCommand.statusDescriptor) + 1) == 0 else {
                throw SpawnFailure(stage: "spawn", code: errno)
            }

            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            // The launcher starts with no blocked and no ignored signals, whatever this process set.
            var empty = sigset_t()
            sigemptyset(&empty)
            var all = sigset_t()
            sigfillset(&all)
            posix_spawnattr_setsigmask(&attributes, &empty)
            posix_spawnattr_setsigdefault(&attributes, &all)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

            let argv = ([launcher] + arguments).map { strdup($0) } + [nil]
            defer { for pointer in argv { free(pointer) } }
            let envp: [UnsafeMutablePointer<CChar>?] = [nil]
            var pid: pid_t = 0
            let result = posix_spawn(&pid, launcher, &actions, &attributes, argv, envp)
            guard result == 0 else { throw SpawnFailure(stage: "spawn", code: result) }
            // Keep the supervisor's ends: remove them from the close list.
            let kept = [output.read, errors.read, status.read] + (standardInput.map { [$0.write] } ?? [])
            opened.removeAll { kept.contains($0) }
            for descriptor in kept { _ = toolhost_set_nonblocking(descriptor) }
            return .success((LauncherProcess(pid: pid, stdout: output.read, stderr: errors.read, status: status.read, stdin: standardInput?.write), ()))
        } catch let failure as SpawnFailure {
            return .failure(failure)
        } catch {
            return .failure(SpawnFailure(stage: "spawn", code: EINVAL))
        }
    }
}

/// A step of starting the launcher that failed, with its errno.
struct SpawnFailure: Error {
    var stage: String
    var code: Int32
}
