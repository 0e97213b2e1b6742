import ArgumentParser
import Foundation
import ToolhostCore

/// Runs the `toolhost` CLI and exits with its documented exit code.
///
/// ArgumentParser's own exit codes are remapped so a script can tell usage errors (2) from
/// invalid input (1), ``ToolhostError``s exit with their code's number, and a registry server's
/// errors with the number of the same failure found locally (7 when the server cannot be reached).
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
            report(code: error.code.rawValue, message: error.message, details: error.details, json: wantsJSON(command))
            exit(error.code.exitCode)
        } catch let error as RegistryClientError {
            // The server's code and message as it sent them; the text form leads with the most specific code.
            if wantsJSON(command) {
                report(code: error.code.rawValue, message: error.message, details: error.details, json: true)
            } else {
                Console.printError("error: \(error)")
            }
            exit(error.exitCode)
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

    private static func wantsJSON(_ command: (any ParsableCommand)?) -> Bool {
        (command as? any OutputtingCommand)?.output.json ?? false
    }

    private static func report(code: String, message: String, details: JSONValue?, json: Bool) {
        if json {
            var body: [String: JSONValue] = ["code": .string(code), "message": .string(message)]
            if let details { body["details"] = details }
            Console.printJSON(.object(["error": .object(body)]))
        } else {
            Console.printError("error: \(message)")
        }
    }
}
