import ArgumentParser

/// The `toolhost` command: the root of every subcommand.
public struct ToolhostCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "toolhost",
        abstract: "A tool marketplace and sandboxed tool-execution host.",
        discussion: """
            Exit codes:
              0 ok, 1 invalid input or validation failure, 2 usage error, 3 not found,
              4 conflict, 5 unauthorized or forbidden, 6 storage failure, 10 internal error.
            """,
        subcommands: [ServeCommand.self, ToolsCommand.self, SchemaCommand.self, SandboxCommand.self]
    )

    public init() {}
}
