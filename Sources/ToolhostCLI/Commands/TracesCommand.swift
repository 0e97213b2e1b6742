import ArgumentParser
import Foundation
import Host
import Registry
import ToolhostCore
import Traces

/// `toolhost traces …`: what was called, how long it took, what it used.
struct TracesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "traces", abstract: "Show the spans of recent tool calls.", subcommands: [ListTraces.self])
}

/// `toolhost traces list [--tool NAME] [--limit N]`
struct ListTraces: AsyncParsableCommand, OutputtingCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The latest tool calls, newest first.")

    @Option(help: "Only calls of this tool (as resolved, e.g. acme/word-count/count).")
    var tool: String?

    @Option(help: "How many calls to show (1-1000).")
    var limit: Int = 20

    @OptionGroup var data: DataDirectoryOptions
    @OptionGroup var remote: ServerOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard (1...1000).contains(limit) else { throw ValidationError("--limit \(limit): expected 1 to 1000") }
    }

    func run() async throws {
        let spans = try await remote.endpoint(dataDirectory: data.url).spans(tool: tool, limit: limit)
        if output.json {
            try Console.printJSON(spans)
            return
        }
        guard !spans.isEmpty else {
            Console.printError("no calls recorded")
            return
        }
        var table = TextTable(["START", "TOOL", "VERSION", "STATUS", "MS", "IN→OUT BYTES", "SANDBOX", "CALLER", "TRACE"])
        for span in spans {
            let sandbox = span.sandbox.map { "\($0.outcome) \(String(format: "%.1f", $0.cpuMs))ms cpu" } ?? ""
            table.append([span.start.formatted(.iso8601), span.tool, span.toolVersion,
                          span.status == .ok ? "ok" : "error: \(span.errorType ?? "?")", String(format: "%.1f", span.durationMs),
                          "\(span.inputBytes)→\(span.outputBytes)", sandbox, span.agent.map { "\(span.caller) (\($0))" } ?? span.caller, span.traceID])
        }
        Console.print(table.render())
    }
}
