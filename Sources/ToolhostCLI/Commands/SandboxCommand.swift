import ArgumentParser
import Foundation
import Sandbox
import ToolhostCore

/// `toolhost sandbox …`
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run programs in the seccomp + namespace sandbox.",
        subcommands: [RunInSandbox.self]
    )
}

/// `toolhost sandbox run`
struct RunInSandbox: AsyncParsableCommand, OutputtingCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a program in the sandbox with hard limits.",
        discussion: """
            Prints the program's output, and a one-line summary on stderr; --json prints one JSON object instead.
            Exit code: 0 for outcome ok, the program's code for exit_nonzero, 128+N when it was killed by signal N,
            124 when a limit or the seccomp filter ended it, 125 when the sandbox could not be set up.
            Sizes take K, M, G; durations ms, s, m (a bare number is seconds).
            """
    )

    @Option(help: "The seccomp profile: python3, sh, node or exec.")
    var profile: String
    @Option(help: "Memory of the whole process tree, without swap (e.g. 128M).")
    var memory: ByteCount?
    @Option(help: "Processes and threads at once.")
    var pids: Int?
    @Option(help: "CPU time of the whole process tree (e.g. 2s).")
    var cpuTime: Duration?
    @Option(help: "Wall-clock time (e.g. 5s).")
    var wallTime: Duration?
    @Option(name: .customLong("output"), help: "Bytes kept of each of stdout and stderr; more ends the run (e.g. 64K).")
    var outputLimit: ByteCount?
    @Option(help: "The largest file the program may write.")
    var fileSize: ByteCount?
    @Option(help: "Open files per process.")
    var openFiles: Int?
    @Option(help: "The directory bound writable at /work (default: a fresh empty one).")
    var workdir: String?
    @Option(help: "none (default) or host; host is for tools whose manifest declares egress.")
    var network: SandboxRequest.Network = .none
    @Option(name: .customLong("ro"), help: "Bind a host path read-only at the same place (repeatable).")
    var readOnly: [String] = []
    @Option(name: .customLong("env"), help: "Add NAME=VALUE to the sandbox's environment (repeatable).")
    var environment: [String] = []
    @Flag(help: "List the files left in the workdir.")
    var files = false

    @OptionGroup var output: OutputOptions

    @Argument(parsing: .captureForPassthrough, help: "The program and its arguments, after --.")
    var command: [String] = []

    func run() async throws {
        let sandbox = try Sandbox()
        var limits = sandbox.policy.defaults
        if let memory { limits.memoryBytes = memory.bytes }
        if let pids { limits.pids = pids }
        if let cpuTime { limits.cpuTimeMs = cpuTime.milliseconds }
        if let wallTime { limits.wallTimeMs = wallTime.milliseconds }
        if let outputLimit { limits.outputBytes = outputLimit.bytes }
        if let fileSize { limits.fileSizeBytes = fileSize.bytes }
        if let openFiles { limits.openFiles = openFiles }
        var request = SandboxRequest(profile: profile, command: command.first == "--" ? Array(command.dropFirst()) : command, limits: limits)
        request.workdir = workdir.map { URL(fileURLWithPath: $0) }
        request.network = network
        request.readOnlyBinds = readOnly.map { SandboxRequest.ReadOnlyBind(hostPath: $0) }
        request.collectFiles = files
        for pair in environment {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw ArgumentParser.ValidationError("--env: expected NAME=VALUE, got \"\(pair)\"")
            }
            request.environment[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        let result = try await sandbox.run(request)
        if output.json {
            try Console.printJSON(result)
        } else {
            FileHandle.standardOutput.write(result.stdout)
            FileHandle.standardError.write(result.stderr)
            Console.printError(Self.summary(result))
        }
        // The run is answered before its namespaces are gone; leave nothing behind when exiting.
        await sandbox.quiesce()
        throw ExitCode(Self.exitCode(for: result))
    }

    static func summary(_ result: SandboxResult) -> String {
        var parts = ["sandbox: \(result.outcome.rawValue)"]
        if let code = result.exitCode { parts.append("exit \(code)") }
        if let signal = result.signal { parts.append("signal \(signal)") }
        if let syscall = result.syscall { parts.append("syscall \(syscall)") }
        if let detail = result.detail { parts.append(detail) }
        parts.append(String(format: "%.1f ms wall, %.1f ms CPU, %d KiB peak", result.usage.wallMs, result.usage.cpuMs, result.usage.peakMemoryBytes / 1024))
        return parts.joined(separator: " · ")
    }

    static func exitCode(for result: SandboxResult) -> Int32 {
        switch result.outcome {
        case .ok: 0
        case .exitNonzero: Int32(result.exitCode ?? 1)
        case .killedSignal: 128 + Int32(result.signal ?? 9)
        case .setupFailed: 125
        default: 124
        }
    }
}

extension SandboxRequest.Network: ExpressibleByArgument {}
