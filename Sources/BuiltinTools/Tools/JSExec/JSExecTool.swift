import ToolhostCore

/// `js_exec`: runs a JavaScript program with Node.js 20 (`/usr/bin/node`) in the sandbox, as a
/// CommonJS script or an ES module (`moduleType`).
///
/// The source is always a read-only file outside the workspace (`/toolhost/main.cjs` or `.mjs`, the
/// extension choosing the module system): `node -e` would leave `process.argv[1]` out, shifting the
/// arguments, and would not make the program the main module (`require.main === module`).
struct JSExecTool: BuiltinTool {
    let name = "js_exec"

    /// The interpreter for `moduleType` (`commonjs` or `module`).
    static func interpreter(moduleType: String) -> Interpreter {
        Interpreter(
            profile: "node", sourceFileName: moduleType == "module" ? "main.mjs" : "main.cjs", inlineCommand: nil,
            fileCommand: { path, args in ["/usr/bin/node", path] + args })
    }

    func run(_ input: JSONValue, in context: ToolContext) async throws(ToolFailure) -> JSONValue {
        let request = try ExecRequest(input, sourceField: "code")
        let moduleType = input["moduleType"]?.stringValue ?? "commonjs"
        guard moduleType == "commonjs" || moduleType == "module" else {
            throw ToolFailure(.invalidArgument, "moduleType: \"\(moduleType)\" is neither \"commonjs\" nor \"module\"")
        }
        return try await SandboxedExec.run(request, with: Self.interpreter(moduleType: moduleType), in: context)
    }
}
