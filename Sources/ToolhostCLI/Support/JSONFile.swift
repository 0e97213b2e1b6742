import Foundation
import ToolhostCore

/// Reads JSON documents named on the command line, with errors that point at the file, line and column.
enum JSONFile {
    /// Reads and parses `path` (`-` is standard input).
    /// - Throws: ``ToolhostError`` `invalid_input` naming the file, and the line and column of a syntax error.
    static func read(_ path: String) throws(ToolhostError) -> JSONValue {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: path))
            } catch {
                throw ToolhostError(.invalidInput, "\(path): cannot read: \(error.localizedDescription)")
            }
        }
        do {
            return try JSONValue(parsing: data)
        } catch {
            throw ToolhostError(
                .invalidInput, "\(path):\(error.line):\(error.column): invalid JSON: \(error.message)",
                details: ["file": .string(path), "line": .int(error.line), "column": .int(error.column)])
        }
    }
}
