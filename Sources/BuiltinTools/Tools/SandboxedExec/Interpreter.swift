/// How one interpreter is started in the sandbox with a program's source, which never goes into the
/// workspace: it is either one command-line argument or a read-only file bound outside `/work`.
struct Interpreter: Sendable {
    /// The seccomp profile in `Sandbox/profiles/`.
    var profile: String
    /// The source's file name when it is bound into the sandbox (under ``sourceDirectory``).
    var sourceFileName: String
    /// The command line that carries the source in one argument, or nil for an interpreter that
    /// always reads its program from a file.
    var inlineCommand: (@Sendable (_ source: String, _ args: [String]) -> [String])?
    /// The command line that runs the source bound read-only at `path`.
    var fileCommand: @Sendable (_ path: String, _ args: [String]) -> [String]

    /// Where a bound source appears inside the sandbox: outside the workspace and outside the
    /// `/tmp` tmpfs, which is mounted over anything bound below it.
    static let sourceDirectory = "/toolhost"
}
