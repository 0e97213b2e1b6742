import ToolhostCore

/// `shell_exec`: runs a POSIX shell script with `/bin/sh` (Debian's dash) in the sandbox, as
/// `sh -c script sh args…`, so that `$0` is `sh` and `$1`… are the arguments.
///
/// A script too large for one argument (128 KiB) is bound read-only outside the workspace and
/// sourced with `.` by the same `sh -c … sh args…`, which keeps `$0` and the arguments.
struct ShellExecTool: BuiltinTool {
    let name = "shell_exec"

    static let interpreter = Interpreter(
        profile: "sh", sourceFileName: "script.sh",
        inlineCommand: { script, args in ["/bin/sh", "-c", script, "sh"] + args },
        fileCommand: { path, args in ["/bin/sh", "-c", ". \(path)", "sh"] + args })

    func run(_ input: JSONValue, in context: ToolContext) async throws(ToolFailure) -> JSONValue {
        let request = try ExecRequest(input, sourceField: "script")
        return try await SandboxedExec.run(request, with: Self.interpreter, in: context)
    }
}
