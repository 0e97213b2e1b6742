import ArgumentParser
import Foundation
import ToolhostCore

/// Runs the `toolhost` CLI and exits with its documented exit code.
///
/// ArgumentParser's own exit codes are remapped so a script can tell usage errors (2) from
/// invalid input (1), and ``ToolhostError``s exit with their code's number.
public enum ToolhostMain {
    public static func run(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) async -> Never {
        var command: (any ParsableCommand)?
        do {
            command = try ToolhostCommand.parseAsRoot(arguments)
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command?.run()
            }
            exit(0)
        } catch let error as ToolhostError {
            report(error, json: (command as? any OutputtingCommand)?.output.json ?? false)
            exit(error.code.exitCode)
        } catch {
            // Help, version, usage errors and explicit exit codes, as ArgumentParser classifies them.
            let code = ToolhostCommand.exitCode(for: error)
            let message = ToolhostCommand.fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { Console.print(message) }
                exit(0)
            }
            if !message.isEmpty { Console.printError(message) }
            exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }

    private static func report(_ error: ToolhostError, json: Bool) {
        if json {
            var body: [String: JSONValue] = ["code": .string(error.code.rawValue), "message": .string(error.message)]
            if let details = error.details { body["details"] = details }
            Console.printJSON(.object(["error": .object(body)]))
        } else {
            Console.printError("error: \(error.message)")
        }
    }
}
