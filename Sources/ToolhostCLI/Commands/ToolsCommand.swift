import Foundation
import ArgumentParser
import Registry
import ToolhostCore

/// `toolhost tools …`: the catalog of tools.
struct ToolsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tools",
        abstract: "List, search and show the tools in the catalog.",
        discussion: """
            With --server (or $TOOLHOST_SERVER) the commands ask that registry server, which shows what the \
            API key's tenant may see; without it they read the local data directory. The output is the same.
            """,
        subcommands: [ListTools.self, SearchTools.self, ShowTool.self]
    )
}

extension ToolsCommand {
    /// Prints search results as a table or as JSON.
    static func printSummaries(_ tools: [ToolSummary], json: Bool) throws {
        if json {
            try Console.printJSON(tools)
            return
        }
        guard !tools.isEmpty else {
            Console.printError("no tools match")
            return
        }
        var table = TextTable(["NAME", "VERSION", "PRIVILEGE", "DESCRIPTION"])
        for tool in tools {
            table.append([tool.name, tool.version.description, tool.privilegeLevel.description, oneLine(tool.description)])
        }
        Console.print(table.render())
    }

    /// The first sentence of a description, on one line.
    static func oneLine(_ description: String) -> String {
        let flat = description.split(whereSeparator: \.isNewline).joined(separator: " ")
        if let end = flat.range(of: ". ") { return String(flat[..<end.lowerBound]) + "." }
        return flat
    }
}

/// `toolhost tools list`
struct ListTools: AsyncParsableCommand, OutputtingCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List every tool (latest versions).")

    @OptionGroup var data: DataDirectoryOptions
    @OptionGroup var remote: ServerOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let tools = try await remote.endpoint(dataDirectory: data.url).searchTools(ToolSearchQuery(), all: true)
        try ToolsCommand.printSummaries(tools, json: output.json)
    }
}

/// `toolhost tools search`
struct SearchTools: AsyncParsableCommand, OutputtingCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search tools by text, privilege, annotations and capabilities.",
        discussion: """
            Exact name matches come first, then names that start with the text, then relevance.
            Capability filters look into the schemas: --takes path:string finds tools whose input has a
            string property `path`; --returns text finds tools whose output has a property `text`
            (dotted paths reach nested objects, `[]` array items: --returns results[].url).
            """
    )

    @Argument(help: "Words to look for in names, titles, descriptions and keywords.")
    var words: [String] = []

    @Option(help: "Only tools at or below this privilege level (1-5 or a name such as EXECUTE_SAFE).")
    var maxPrivilege: PrivilegeLevel?

    @Flag(inversion: .prefixedNo, help: "Only tools that do (or, with --no-, do not) only read.")
    var readOnly: Bool?
    @Flag(inversion: .prefixedNo, help: "Only destructive (or non-destructive) tools.")
    var destructive: Bool?
    @Flag(inversion: .prefixedNo, help: "Only idempotent (or non-idempotent) tools.")
    var idempotent: Bool?
    @Flag(inversion: .prefixedNo, help: "Only tools that do (or do not) reach the open world.")
    var openWorld: Bool?

    @Option(
        help: ArgumentHelp("The input has this property (PROPERTY or PROPERTY:TYPE); repeatable.", valueName: "property[:type]"),
        transform: PropertyRequirement.init(argument:))
    var takes: [PropertyRequirement] = []
    @Option(
        help: ArgumentHelp("The output has this property (PROPERTY or PROPERTY:TYPE); repeatable.", valueName: "property[:type]"),
        transform: PropertyRequirement.init(argument:))
    var returns: [PropertyRequirement] = []

    @Option(help: "At most this many results (1-1000).")
    var limit = 50

    @OptionGroup var data: DataDirectoryOptions
    @OptionGroup var remote: ServerOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        var query = ToolSearchQuery(text: words.joined(separator: " "))
        query.maxPrivilege = maxPrivilege
        query.readOnly = readOnly
        query.destructive = destructive
        query.idempotent = idempotent
        query.openWorld = openWorld
        query.takes = takes
        query.returns = returns
        query.limit = limit
        try ToolsCommand.printSummaries(try await remote.endpoint(dataDirectory: data.url).searchTools(query, all: false), json: output.json)
    }
}

/// `toolhost tools show`
struct ShowTool: AsyncParsableCommand, OutputtingCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a tool's manifest: schemas, annotations, privilege, examples.")

    @Argument(help: "The tool's name, optionally with @VERSION (e.g. file_read or file_read@1.0.0).")
    var name: String

    @OptionGroup var data: DataDirectoryOptions
    @OptionGroup var remote: ServerOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        var toolName = name
        var version: SemanticVersion?
        if let at = name.lastIndex(of: "@") {
            toolName = String(name[..<at])
            let versionText = String(name[name.index(after: at)...])
            do {
                version = try SemanticVersion(parsing: versionText)
            } catch {
                throw ToolhostError(.invalidInput, "\(name): \(error.message)")
            }
        }
        let detail = try await remote.endpoint(dataDirectory: data.url).tool(named: toolName, version: version)
        if output.json {
            try Console.printJSON(detail)
        } else {
            Console.print(ToolDetailText.render(detail))
        }
    }
}
