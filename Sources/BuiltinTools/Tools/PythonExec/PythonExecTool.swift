import ToolhostCore

/// `python_exec`: runs a Python 3 program with Debian's `/usr/bin/python3` in isolated mode (`-I`:
/// no user site, no `PYTHON*` variables, no script directory on `sys.path`) in the sandbox.
///
/// The source is always a read-only file outside the workspace (`/toolhost/main.py`), whatever its
/// size, so that every program runs the same way: as the main script with a real `__file__`,
/// tracebacks that quote the failing line, and `multiprocessing` able to re-import it.
struct PythonExecTool: BuiltinTool {
    let name = "python_exec"

    static let interpreter = Interpreter(
        profile: "python3", sourceFileName: "main.py", inlineCommand: nil,
        fileCommand: { path, args in ["/usr/bin/python3", "-I", path] + args })

    func run(_ input: JSONValue, in context: ToolContext) async throws(ToolFailure) -> JSONValue {
        let request = try ExecRequest(input, sourceField: "code")
        return try await SandboxedExec.run(request, with: Self.interpreter, in: context)
    }
}
