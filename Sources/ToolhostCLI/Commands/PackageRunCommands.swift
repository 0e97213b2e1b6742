import ArgumentParser
import Foundation
import Host
import ToolhostCore

/// `toolhost run DIR [TOOL] --input JSON`: a tool of a package directory, before publishing.
struct RunPackageCommand: AsyncParsableCommand, OutputtingCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Call a tool of a package directory in the sandbox, as a host runs it once published.",
        discussion: """
            The directory is packed and published, with every check of a real publish, into a scratch data \
            directory, and the tool is called through the host pipeline: the same limits, permissions, \
            workspace rules and output validation, the same result object and exit codes as `toolhost call` \
            (0 ok, 9 the tool reported an error, 1 invalid input or an invalid package). A call that needs \
            approval is approved at once: it is your own code. Nothing of your data directory is touched.
            """)

    @Argument(help: "The package directory (holding toolhost.json).")
    var directory: String
    @Argument(help: "The tool; may be left out when the package has one.")
    var tool: String?
    @Option(help: ArgumentHelp("The input: JSON text, @file.json, or @- for standard input.", valueName: "json"))
    var input: String = "{}"
    @Option(name: .customLong("secret"), help: ArgumentHelp("A secret the tool declares, NAME=VALUE (repeatable).", valueName: "name=value"))
    var secrets: [String] = []
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let value = try JSONArgument.parse(input, option: "--input")
        var given: [String: String] = [:]
        for pair in secrets {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw ValidationError("--secret: expected NAME=VALUE, got \"\(pair)\"")
            }
            given[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        let workbench = try await PackageWorkbench(directory: URL(fileURLWithPath: directory))
        let outcome: ToolCallOutcome
        do {
            outcome = try await workbench.call(try workbench.tool(named: tool), input: value, secrets: given)
        } catch {
            await workbench.close()
            throw error
        }
        await workbench.close()
        throw ExitCode(try CallCommand.report(outcome, json: output.json))
    }
}

/// `toolhost test DIR`: every example of a package directory's manifest, run as `toolhost run` runs a call.
struct TestPackageCommand: AsyncParsableCommand, OutputtingCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run every example in a package directory's manifest and compare the outputs.",
        discussion: """
            Each example's input is called as `toolhost run` calls it (with the example's secrets); its output \
            must equal the expected one (match exact, the default) or contain it (match subset). Prints ✓ or ✗ \
            per example, with a diff for a wrong output. Exit code 0 when every example passes, 1 otherwise.
            """)

    @Argument(help: "The package directory (holding toolhost.json).")
    var directory: String
    @OptionGroup var output: OutputOptions

    /// One example's verdict.
    struct Verdict: Encodable {
        var tool: String
        var example: String
        var passed: Bool
        var expected: JSONValue
        var actual: JSONValue?
        var error: String?
        var diff: String?
    }

    func run() async throws {
        let workbench = try await PackageWorkbench(directory: URL(fileURLWithPath: directory))
        var verdicts: [Verdict] = []
        for tool in workbench.manifest.tools {
            for example in tool.examples ?? [] {
                verdicts.append(await Self.check(example, of: tool, on: workbench))
            }
        }
        await workbench.close()
        let failed = verdicts.filter { !$0.passed }.count
        if output.json {
            struct Report: Encodable {
                var passed: Int
                var failed: Int
                var examples: [Verdict]
            }
            try Console.printJSON(Report(passed: verdicts.count - failed, failed: failed, examples: verdicts))
        } else {
            for verdict in verdicts {
                Console.print("\(verdict.passed ? "✓" : "✗") \(verdict.tool) / \(verdict.example)")
                if let error = verdict.error { Console.print("    \(error)") }
                if let diff = verdict.diff {
                    let lines = diff.split(separator: "\n", omittingEmptySubsequences: false).dropLast(diff.hasSuffix("\n") ? 1 : 0)
                    Console.print(lines.map { "    \($0)" }.joined(separator: "\n"))
                }
            }
            Console.print(verdicts.isEmpty
                ? "no examples: add some to the tools of toolhost.json"
                : "\(verdicts.count) example\(verdicts.count == 1 ? "" : "s"): \(verdicts.count - failed) passed, \(failed) failed")
        }
        if failed > 0 { throw ExitCode(1) }
    }

    static func check(_ example: ToolExample, of tool: ToolDefinition, on workbench: PackageWorkbench) async -> Verdict {
        var verdict = Verdict(tool: tool.name, example: example.name, passed: false, expected: example.output)
        let outcome: ToolCallOutcome
        do {
            outcome = try await workbench.call(tool, input: example.input, secrets: example.secrets ?? [:])
        } catch let error as ToolhostError {
            verdict.error = "\(error.code.rawValue): \(error.message)"
            return verdict
        } catch {
            verdict.error = "\(error)"
            return verdict
        }
        guard case .completed(let result) = outcome else {
            verdict.error = "the call still waits for approval"
            return verdict
        }
        if let error = result.error {
            verdict.error = "the tool failed (\(error.type)): \(error.message)"
            return verdict
        }
        verdict.actual = result.output
        verdict.passed = example.isSatisfied(by: result.output)
        if !verdict.passed { verdict.diff = await workbench.diff(expected: example.output, actual: result.output) }
        return verdict
    }
}
