import Foundation
import ToolhostCore

/// Writes to the terminal: results to standard output, diagnostics to standard error.
enum Console {
    static func print(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Prints a value as pretty JSON with sorted keys.
    static func printJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// Prints a ``JSONValue`` as pretty JSON with sorted keys.
    static func printJSON(_ value: JSONValue) {
        print(value.serialized(pretty: true))
    }
}
