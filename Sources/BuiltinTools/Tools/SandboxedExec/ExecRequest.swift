import Foundation
import ToolhostCore

/// The input the three exec tools share (python_exec, shell_exec, js_exec): the program's source and
/// what it runs with, read from a call's schema-valid input with the schema's defaults applied.
struct ExecRequest: Sendable {
    /// A file to write into the workspace before the program starts.
    struct InputFile: Sendable {
        var path: WorkspacePath
        var contents: Data
    }

    /// The program's source, as given (never written into the workspace).
    var source: String
    /// The input field the source came from (`code`, `script`), for messages.
    var sourceField: String
    var stdin: String
    var args: [String]
    var environment: [String: String]
    var files: [InputFile]
    var timeoutMs: Int

    /// The schema's default for `timeoutMs`.
    static let defaultTimeoutMs = 10_000

    /// Reads and checks the shared fields; `sourceField` names the field holding the source.
    /// - Throws: ``ToolFailure`` `invalid_argument` for what the schema cannot refuse (a NUL byte in an
    ///   argument or a variable, content that is not base64), `denied` for an `LD_` variable or a file
    ///   path that leaves the workspace.
    init(_ input: JSONValue, sourceField: String) throws(ToolFailure) {
        guard let source = input[sourceField]?.stringValue, !source.isEmpty else {
            throw ToolFailure(.invalidArgument, "\(sourceField): the program's source is missing or empty")
        }
        self.source = source
        self.sourceField = sourceField
        stdin = input["stdin"]?.stringValue ?? ""
        timeoutMs = input["timeoutMs"]?.intValue ?? Self.defaultTimeoutMs

        args = []
        for (index, value) in (input["args"]?.arrayValue ?? []).enumerated() {
            let argument = value.stringValue ?? ""
            // A C argument ends at its first NUL: the program would see something else than was sent.
            if argument.utf8.contains(0) {
                throw ToolFailure(.invalidArgument, "args[\(index)]: contains a NUL byte, which a command-line argument cannot hold")
            }
            args.append(argument)
        }

        environment = [:]
        for (name, value) in input["env"]?.objectValue ?? [:] {
            try Self.checkVariable(name, value.stringValue ?? "")
            environment[name] = value.stringValue ?? ""
        }

        files = []
        for (index, entry) in (input["files"]?.arrayValue ?? []).enumerated() {
            let field = "files[\(index)]"
            let path = try WorkspacePath(entry["path"]?.stringValue ?? "", field: "\(field).path")
            let content = entry["content"]?.stringValue ?? ""
            let contents: Data
            switch entry["encoding"]?.stringValue ?? "utf8" {
            case "base64":
                guard let decoded = Data(base64Encoded: content) else {
                    throw ToolFailure(.invalidArgument, "\(field).content: not valid base64 (encoding is \"base64\")")
                }
                contents = decoded
            case "utf8":
                contents = Data(content.utf8)
            case let other:
                throw ToolFailure(.invalidArgument, "\(field).encoding: \"\(other)\" is neither \"utf8\" nor \"base64\"")
            }
            files.append(InputFile(path: path, contents: contents))
        }
    }

    /// The rules of the `env` field, checked here as well as by the schema: the dynamic loader's
    /// variables could make every program of the run load a library of the caller's choosing.
    private static func checkVariable(_ name: String, _ value: String) throws(ToolFailure) {
        if name.hasPrefix("LD_") {
            throw ToolFailure(.denied, "env.\(name): variables whose names begin with LD_ are refused")
        }
        guard isVariableName(name) else {
            throw ToolFailure(.invalidArgument, "env.\(name): a variable name is letters, digits and _, not starting with a digit")
        }
        if value.utf8.contains(0) {
            throw ToolFailure(.invalidArgument, "env.\(name): the value contains a NUL byte, which an environment variable cannot hold")
        }
    }

    /// `[A-Za-z_][A-Za-z0-9_]{0,127}`, as the schema says: a name the shell and the launcher's
    /// `NAME=VALUE` can carry.
    private static func isVariableName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        let digits = UInt8(ascii: "0")...UInt8(ascii: "9")
        let isWordByte = { (byte: UInt8) in
            byte == UInt8(ascii: "_") || digits.contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
        }
        guard let first = bytes.first, !digits.contains(first), bytes.count <= 128 else { return false }
        return bytes.allSatisfy(isWordByte)
    }

    /// Bytes that `args` and `env` take on the command line of the sandboxed program and its launcher.
    var commandLineBytes: Int {
        args.reduce(0) { $0 + $1.utf8.count + 1 } + environment.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count + 2 }
    }
}
