import ArgumentParser
import Foundation
import Host
import Registry
import Sandbox
import ToolhostCore

/// `toolhost approvals …`: the approval gates of risky calls.
struct ApprovalsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approvals",
        abstract: "List, approve and reject calls that wait for a human's approval.",
        discussion: "Local by default (the data directory's host); with --server, that server's approvals of the key's tenant.",
        subcommands: [ListApprovals.self, ShowApproval.self, ApproveCall.self, RejectCall.self]
    )

    /// One approval as a line of a table.
    static func row(_ approval: Approval) -> [String] {
        [approval.id, approval.status.rawValue, approval.tool, approval.caller, approval.createdAt.formatted(.iso8601), approval.reason]
    }
}

/// `toolhost approvals list [--status pending]`
struct ListApprovals: AsyncParsableCommand, OutputtingCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List approvals, newest first.")

    @Option(help: "Only approvals with this status: pending, running, completed, rejected, expired, interrupted.")
    var status: String = "pending"

    @OptionGroup var data: DataDirectoryOptions
    @OptionGroup var remote: ServerOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        guard let wanted = Approval.Status(rawValue: status) else {
            throw ValidationError("--status \(status): expected one of \(Approval.Status.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let approvals = try await remote.endpoint(dataDirectory: data.url).approvals(status: wanted)
        if output.json {
            try Console.printJSON(approvals)
            return
        }
        guard !approvals.isEmpty else {
            Console.printError("no \(wanted.rawValue) approvals")
            return
        }
        var table = TextTable(["ID", "STATUS", "TOOL", "CALLER", "CREATED", "REASON"])
        for approval in approvals { table.append(ApprovalsCommand.row(approval)) }
        Console.print(table.render())
    }
}

/// `toolhost approvals show ID`
struct ShowApproval: AsyncParsableCommand, OutputtingCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one approval, with the call's result once it ran.")

    @Argument(help: "The approval's id.")
    var id: String

    @OptionGroup var data: DataDirectoryOptions
    @OptionGroup var remote: ServerOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try Console.printJSON(try await remote.endpoint(dataDirectory: data.url).approval(id: id))
    }
}

/// `toolhost approvals approve ID [--input-edit @fixed.json] [--reason TEXT]`
struct ApproveCall: AsyncParsableCommand, OutputtingCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "Approve a pending call; it then runs, once, and its result is printed.")

    @Argument(help: "The approval's id.")
    var id: String

    @Option(name: .customLong("input-edit"), help: ArgumentHelp("Run with this input instead (JSON, @file or @-); it is validated again.", valueName: "json"))
    var inputEdit: String?

    @Option(help: "Why it is approved (kept in the audit trail).")
    var reason: String?

    @OptionGroup var data: DataDirectoryOptions
    @OptionGroup var remote: ServerOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let edited = try inputEdit.map { text throws(ToolhostError) in try JSONArgument.parse(text, option: "--input-edit") }
        let approval = try await remote.endpoint(dataDirectory: data.url).approve(id: id, input: edited, reason: reason)
        guard let result = approval.result else {
            try Console.printJSON(approval)
            return
        }
        throw ExitCode(try CallCommand.report(.completed(result), json: output.json))
    }
}

/// `toolhost approvals reject ID [--reason TEXT]`
struct RejectCall: AsyncParsableCommand, OutputtingCommand {
    static let configuration = CommandConfiguration(commandName: "reject", abstract: "Reject a pending call; it never runs.")

    @Argument(help: "The approval's id.")
    var id: String

    @Option(help: "Why it is rejected (kept in the audit trail).")
    var reason: String?

    @OptionGroup var data: DataDirectoryOptions
    @OptionGroup var remote: ServerOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let approval = try await remote.endpoint(dataDirectory: data.url).reject(id: id, reason: reason)
        if output.json {
            try Console.printJSON(approval)
        } else {
            Console.printError("rejected \(approval.id) (\(approval.tool)); it will not run")
        }
    }
}
