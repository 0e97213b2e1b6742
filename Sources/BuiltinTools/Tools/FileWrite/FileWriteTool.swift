import Foundation
import ToolhostCore

/// `file_write`: creates, overwrites or appends to a workspace file, from text or base64.
///
/// The final path component may not be a symbolic link, even one that stays inside: writing
/// through a link is refused outright, so what the caller names is what changes.
struct FileWriteTool: BuiltinTool {
    let name = "file_write"

    func run(_ input: JSONValue, in context: ToolContext) async throws(ToolFailure) -> JSONValue {
        let workspace = context.workspace
        let path = try WorkspacePath(input["path"]?.stringValue ?? "", field: "path")
        let data = try content(of: input)
        let mode: Workspace.WriteMode =
            switch input["mode"]?.stringValue ?? "create" {
            case "overwrite": .overwrite
            case "append": .append
            default: .createNew
            }
        let createParents = input["createDirectories"]?.boolValue ?? true
        let existing = try workspace.entry(at: path)
        switch existing?.kind {
        case .symlink?:
            throw ToolFailure(.denied, "path: \"\(path)\" is a symbolic link; writing through a link is refused")
        case .directory?:
            throw ToolFailure(.invalidArgument, "path: \"\(path)\" is a directory, not a file")
        case .other?:
            throw ToolFailure(.invalidArgument, "path: \"\(path)\" is a special file (device, FIFO or socket), not a regular file")
        case .file?, nil:
            break
        }
        if existing != nil, mode == .createNew {
            throw ToolFailure(.invalidArgument, "path: \"\(path)\" already exists; use mode \"overwrite\" or \"append\" to change it")
        }
        if mode == .createNew {
            try workspace.writeNew(data, to: path, createParents: createParents)
        } else {
            try workspace.write(data, to: path, mode: mode, createParents: createParents)
        }
        let size = try workspace.entry(at: path)?.size ?? data.count
        return [
            "path": .string(path.value),
            "bytesWritten": .int(data.count),
            "size": .int(size),
            "created": .bool(existing == nil),
        ]
    }

    /// The bytes to write: `content` as UTF-8, or decoded from base64.
    private func content(of input: JSONValue) throws(ToolFailure) -> Data {
        let content = input["content"]?.stringValue ?? ""
        guard input["encoding"]?.stringValue == "base64" else { return Data(content.utf8) }
        guard let data = Data(base64Encoded: content, options: .ignoreUnknownCharacters),
            content.allSatisfy({ $0.isWhitespace || $0.isLetter && $0.isASCII || $0.isNumber && $0.isASCII || "+/=".contains($0) })
        else {
            throw ToolFailure(.invalidArgument, "content: not valid base64 (encoding is \"base64\")")
        }
        return data
    }
}
