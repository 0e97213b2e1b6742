import ArgumentParser

/// The `toolhost` command: the root of every subcommand.
public struct ToolhostCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "toolhost",
        abstract: "A tool marketplace and sandboxed tool-execution host.",
        discussion: """
            Exit codes:
              0 ok, 1 invalid input or validation failure, 2 usage error, 3 not found,
              4 conflict, 5 unauthorized or forbidden, 6 storage failure,
              7 server unreachable, 8 circuit open, 9 the called tool reported an error,
              10 internal error, 11 the call waits for approval.
            A registry server's errors exit as the same failure found locally:
              401/403 → 5, 404 → 3, 409 → 4, 400/413/422 → 1.
            Registry commands take --server URL (or $TOOLHOST_SERVER)
            and --key KEY (or $TOOLHOST_KEY).
            """,
        subcommands: [
            ServeCommand.self, ToolsCommand.self, CallCommand.self, ApprovalsCommand.self, TracesCommand.self, PublishCommand.self,
            KeysCommand.self, SchemaCommand.self, SandboxCommand.self, DoctorCommand.self, InitCommand.self, RunPackageCommand.self, TestPackageCommand.self,
        ]
    )

    public init() {}
}
