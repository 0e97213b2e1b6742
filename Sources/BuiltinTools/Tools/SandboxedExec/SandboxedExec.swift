import Foundation
import Glibc
import Sandbox
import ToolhostCore

/// One call of an exec tool: the call's files into the workspace, the source to the interpreter
/// from outside it, one run in the sandbox without network and with the workspace at `/work`, and
/// the run's result as the tool's output.
enum SandboxedExec {
    /// Runs `request` with `interpreter` and returns the tool's output. A program that fails, is
    /// killed or hits a limit is a result (its `outcome`), not an error.
    /// - Throws: ``ToolFailure`` `not_configured` without a sandbox, `too_large` when `args` and
    ///   `env` do not fit on a command line, the workspace's failures for `files`, `internal_error`
    ///   when the sandbox refuses the request.
    static func run(_ request: ExecRequest, with interpreter: Interpreter, in context: ToolContext) async throws(ToolFailure) -> JSONValue {
        guard let sandbox = context.sandbox else {
            throw ToolFailure(.notConfigured, "this host has no sandbox configured, so it cannot run programs")
        }
        guard request.commandLineBytes <= CommandLineBudget.totalBytes else {
            throw ToolFailure(.tooLarge, "args and env: \(request.commandLineBytes) bytes together, more than the "
                + "\(CommandLineBudget.totalBytes) that fit on the program's command line; pass large data in files or stdin")
        }
        // A root host runs sandboxes as an unprivileged user, who must be able to use what we write.
        let owner = geteuid() == 0 ? sandbox.policy.hostIdentity : nil
        try ExecFiles.write(request.files, into: context.workspace, owner: owner)

        let limits = ExecLimits.limits(timeoutMs: request.timeoutMs, tool: context.limits, policy: sandbox.policy)
        var sandboxRequest = SandboxRequest(profile: interpreter.profile, command: [], limits: limits)
        var sourceFile: SourceFile?
        defer { sourceFile?.remove() }
        if let inline = interpreter.inlineCommand, fitsInOneArgument(request) {
            sandboxRequest.command = inline(request.source, request.args)
        } else {
            let file = try SourceFile(source: request.source, name: interpreter.sourceFileName, owner: owner)
            sourceFile = file
            let inside = Interpreter.sourceDirectory + "/" + interpreter.sourceFileName
            sandboxRequest.readOnlyBinds = [SandboxRequest.ReadOnlyBind(hostPath: file.hostPath, sandboxPath: inside)]
            sandboxRequest.command = interpreter.fileCommand(inside, request.args)
        }
        sandboxRequest.workdir = context.workspace.root
        sandboxRequest.workdirQuota = context.workspace.quota
        sandboxRequest.network = .none
        sandboxRequest.environment = ["HOME": sandbox.policy.mounts.workdir, "LANG": "C.UTF-8", "TZ": "UTC"]
            .merging(request.environment) { _, given in given }
        sandboxRequest.stdin = request.stdin.isEmpty ? nil : Data(request.stdin.utf8)

        let result: SandboxResult
        do throws(ToolhostError) {
            result = try await sandbox.run(sandboxRequest)
        } catch {
            throw ToolFailure(.internalError, "the sandbox refused the run: \(error.message)")
        }
        context.report.record(.init(outcome: result.outcome, usage: result.usage))
        if result.outcome == .cancelled {
            throw ToolFailure(.cancelled, "the call was cancelled, so the run was stopped: \(result.detail ?? "")")
        }
        return ExecOutput.json(for: result, limits: limits)
    }

    /// Whether the source can be one argument: short enough for the kernel, without a NUL byte,
    /// and within the whole command line's budget beside `args` and `env`.
    static func fitsInOneArgument(_ request: ExecRequest) -> Bool {
        let bytes = request.source.utf8.count
        return bytes < CommandLineBudget.singleArgumentBytes && !request.source.utf8.contains(0)
            && request.commandLineBytes + bytes + 1 <= CommandLineBudget.totalBytes
    }
}
