import Foundation
import Host
import Sandbox
import ToolhostCore

/// Opens an in-process host on the local data directory, as the CLI's own administrator.
enum HostContext {
    /// The host of `dataDirectory`, with the sandbox when this machine can run one (built-ins that
    /// need no sandbox still work without it).
    /// - Throws: ``ToolhostError`` when the data directory is unusable.
    static func open(dataDirectory: URL) async throws(ToolhostError) -> ToolHost {
        let store = try await DataDirectory.open(dataDirectory)
        return try await store.host(sandbox: try? Sandbox())
    }
}

/// A JSON argument: inline text, `@file`, or `@-` for standard input.
enum JSONArgument {
    /// - Throws: ``ToolhostError`` `invalid_input` naming the option and the position of a syntax error.
    static func parse(_ text: String, option: String) throws(ToolhostError) -> JSONValue {
        if text.hasPrefix("@") { return try JSONFile.read(String(text.dropFirst())) }
        do {
            return try JSONValue(parsing: text)
        } catch {
            throw ToolhostError(.invalidInput, "\(option): invalid JSON at line \(error.line), column \(error.column): \(error.message)")
        }
    }
}

/// Exit codes of tool calls, beyond the ones every command shares (see the README).
enum CallExitCode {
    /// The tool ran and reported an error (`isError`).
    static let toolError: Int32 = 9
    /// The call waits for a human's approval; nothing ran yet.
    static let approvalPending: Int32 = 11
}
