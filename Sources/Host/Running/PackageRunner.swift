import BuiltinTools
import Foundation
import Registry
import Sandbox
import ToolhostCore

/// Runs a packaged tool in the sandbox with the runtime protocol: `{"tool", "input"}` (plus
/// `"secrets"` for a tool that declares any) as JSON on stdin, one JSON object on stdout
/// (`{"output": …}` or `{"error": {"message": …}}`), stderr a log.
///
/// The package is bound read-only at `/pkg`. The limits are the manifest's, clamped by the policy
/// of the tool's privilege level. The network is the host's only when the manifest declares
/// egress; the caller's workspace is bound at `/work` only when it declares filesystem writes.
struct PackageRunner: Sendable {
    let sandbox: any SandboxRunner
    let packages: PackageFiles

    /// What came back from the package.
    struct Run {
        var output: Result<JSONValue, ToolFailure>
        var sandbox: SandboxResult
    }

    /// Runs `tool` once. `secrets` (the values of the secrets it declares) travel in the stdin
    /// message, not in the environment: nothing else in the sandbox inherits or lists them.
    func run(_ tool: ResolvedTool, input: JSONValue, secrets: [String: String], workspace: Workspace) async throws(ToolhostError) -> Run {
        guard let sha256 = tool.archiveSHA256, let entrypoint = tool.detail.runtime.entrypoint else {
            throw ToolhostError(.internalError, "\(tool.versionLabel) has no archive or no entrypoint to run")
        }
        let directory = try await packages.directory(sha256: sha256)
        let packageDir = sandbox.policy.mounts.packageDir
        let script = "\(packageDir)/\(entrypoint)"
        let (profile, command): (String, [String]) = switch tool.detail.runtime.type {
        case .python3: ("python3", ["/usr/bin/python3", "-I", script])
        case .sh: ("sh", ["/bin/sh", script])
        case .node: ("node", ["/usr/bin/node", script])
        default: ("exec", [script])
        }
        let definition = tool.definition
        var limits = sandbox.policy.defaults
        if let declared = definition.limits {
            if let timeout = declared.timeoutMs { limits.wallTimeMs = timeout }
            if let memory = declared.memoryBytes { limits.memoryBytes = memory }
            if let output = declared.outputBytes { limits.outputBytes = output }
        }
        limits = limits.clamped(to: sandbox.policy.maximum(for: definition.privilegeLevel))

        var request = SandboxRequest(profile: profile, command: command, limits: limits)
        if definition.permissions?.subprocess != true {
            request.programs = .only(Self.executables(of: command, packageDirectory: directory, inside: packageDir))
        }
        request.readOnlyBinds = [.init(hostPath: directory.path, sandboxPath: packageDir)]
        request.network = (definition.permissions?.network?.egress ?? []).isEmpty ? .none : .host
        if definition.permissions?.filesystem?.write == true {
            request.workdir = workspace.root
            request.workdirQuota = workspace.quota
        }
        var message: [String: JSONValue] = ["tool": .string(definition.name), "input": input]
        if !(definition.permissions?.secrets ?? []).isEmpty {
            message["secrets"] = .object(secrets.mapValues(JSONValue.string))
        }
        request.stdin = Data(JSONValue.object(message).serialized().utf8)
        let result = try await sandbox.run(request)
        return Run(output: Self.output(of: result, tool: tool), sandbox: result)
    }

    /// The files a run without subprocesses may execute: its program, the ELF interpreter, and for
    /// a packaged executable with a `#!` line, that interpreter.
    static func executables(of command: [String], packageDirectory: URL, inside packageDir: String) -> [String] {
        var files = [command[0], "/lib64/ld-linux-x86-64.so.2"]
        if command[0].hasPrefix(packageDir + "/") {
            let hostFile = packageDirectory.appendingPathComponent(String(command[0].dropFirst(packageDir.count + 1)))
            if let head = try? FileHandle(forReadingFrom: hostFile).read(upToCount: 256), head.starts(with: Array("#!".utf8)) {
                let line = String(decoding: head.dropFirst(2).prefix { $0 != 0x0A }, as: UTF8.self)
                if let interpreter = line.split(separator: " ").first, interpreter.hasPrefix("/") { files.append(String(interpreter)) }
            }
        }
        return files
    }

    /// Reads the protocol's answer, or explains why there is none.
    static func output(of result: SandboxResult, tool: ResolvedTool) -> Result<JSONValue, ToolFailure> {
        let log = String(decoding: result.stderr.suffix(2048), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let logNote = log.isEmpty ? "" : "; its log ends with: \(log)"
        guard result.outcome == .ok else {
            var what = "the package process ended with \(result.outcome.rawValue)"
            if let code = result.exitCode, result.outcome == .exitNonzero { what += " (exit \(code))" }
            if let syscall = result.syscall { what += " (system call \(syscall))" }
            if let detail = result.detail { what += " (\(detail))" }
            let kind: ToolFailure.Kind = switch result.outcome {
            case .wallTimeLimit, .cpuTimeLimit: .timeout
            case .memoryLimit, .outputLimit, .fileSizeLimit, .pidsLimit: .tooLarge
            case .syscallBlocked: .denied
            case .workspaceQuota: .workspaceQuota
            case .cancelled: .cancelled
            default: .toolFailed
            }
            return .failure(ToolFailure(kind, what + logNote))
        }
        let answer: JSONValue
        do {
            answer = try JSONValue(parsing: result.stdout)
        } catch {
            return .failure(ToolFailure(.protocolError, "\(tool.versionLabel) did not print one JSON object on stdout: \(error)\(logNote)"))
        }
        if let output = answer["output"] {
            return .success(output)
        }
        if let message = answer["error"]?["message"]?.stringValue {
            return .failure(ToolFailure(.toolError, message))
        }
        return .failure(ToolFailure(.protocolError, "\(tool.versionLabel) printed neither {\"output\": …} nor {\"error\": {\"message\": …}}"))
    }
}
