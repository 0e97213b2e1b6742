import ArgumentParser
import Foundation
import Host
import Registry
import Sandbox
import ToolhostCore

/// `toolhost call TOOL --input JSON`
struct CallCommand: AsyncParsableCommand, OutputtingCommand {
    static let configuration = CommandConfiguration(
        commandName: "call",
        abstract: "Call a tool by name through the host pipeline.",
        discussion: """
            TOOL is a built-in (hash_digest), a package (acme/word-count) or a package's tool \
            (acme/word-count/count), each optionally with @range (acme/word-count@^1).
            Without --server the call runs in this process on the local data directory, as its \
            administrator; with --server it goes to that server with --key.
            Prints the tool's output. Exit codes: 0 ok, 9 the tool reported an error, 11 the call \
            waits for approval (level 3 and above: see `toolhost approvals`), 8 the tool's circuit \
            is open, and the shared codes (1 invalid input, 3 not found, 5 forbidden, …).
            """)

    @Argument(help: "The tool: name[@range].")
    var tool: String

    @Option(help: ArgumentHelp("The input: JSON text, @file.json, or @- for standard input.", valueName: "json"))
    var input: String = "{}"

    @Option(help: "Call on behalf of this agent (its grants and privilege apply).")
    var agent: String?

    @Option(help: "The workspace directory the file tools are confined to (local calls only).")
    var workspace: String?

    @OptionGroup var data: DataDirectoryOptions
    @OptionGroup var remote: ServerOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let value = try JSONArgument.parse(input, option: "--input")
        if workspace != nil, try remote.namedServer() != nil {
            throw ValidationError("--workspace applies to local calls only; a server chooses the workspace")
        }
        let outcome = try await remote.endpoint(dataDirectory: data.url)
            .invoke(tool: tool, input: value, agent: agent, workspace: workspace.map { URL(fileURLWithPath: $0) })
        throw ExitCode(try Self.report(outcome, json: output.json))
    }

    /// Prints an outcome and returns the exit code it means.
    static func report(_ outcome: ToolCallOutcome, json: Bool) throws -> Int32 {
        switch outcome {
        case .completed(let result):
            if json {
                try Console.printJSON(result)
            } else if let error = result.error {
                Console.printError("error: \(result.tool) failed (\(error.type)): \(error.message)")
            } else {
                Console.printJSON(result.output)
            }
            return result.isError ? CallExitCode.toolError : 0
        case .pendingApproval(let approval):
            if json {
                try Console.printJSON(["approval": approval])
            } else {
                Console.printError("""
                    approval required: \(approval.id) — \(approval.reason)
                    nothing ran yet; approve with: toolhost approvals approve \(approval.id)
                    """)
            }
            return CallExitCode.approvalPending
        }
    }
}
