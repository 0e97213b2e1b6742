import CArchive
import CSandboxSupport
import Foundation
import Glibc
import ToolhostCore

/// `file_read`: reads a byte range of a workspace file as UTF-8 text or base64.
///
/// Offsets and lengths count bytes (Tools/README.md). In `utf8` mode a character cut by the end of
/// the range is left for the next read, so a caller can page through a file with
/// `offset + bytesRead` without ever splitting a character.
struct FileReadTool: BuiltinTool {
    let name = "file_read"

    func run(_ input: JSONValue, in context: ToolContext) async throws(ToolFailure) -> JSONValue {
        let path = try WorkspacePath(input["path"]?.stringValue ?? "", field: "path")
        let asText = (input["encoding"]?.stringValue ?? "utf8") == "utf8"
        let offset = input["offset"]?.intValue ?? 0
        let length = input["length"]?.intValue ?? 1 << 20
        let (bytes, size) = try readRange(path, offset: offset, length: length, in: context.workspace)
        var taken = bytes
        let content: String
        if asText {
            taken = try UTF8Range.completePrefix(of: bytes, path: path, offset: offset, endsFile: offset + bytes.count >= size)
            content = String(decoding: taken, as: UTF8.self)
        } else {
            content = Data(taken).base64EncodedString()
        }
        return [
            "path": .string(path.value),
            "encoding": asText ? "utf8" : "base64",
            "content": .string(content),
            "size": .int(size),
            "offset": .int(offset),
            "bytesRead": .int(taken.count),
            "truncated": .bool(offset + taken.count < size),
        ]
    }

    /// Reads up to `length` bytes at `offset` of a regular file, and the file's size.
    private func readRange(
        _ path: WorkspacePath, offset: Int, length: Int, in workspace: Workspace
    ) throws(ToolFailure) -> (bytes: [UInt8], size: Int) {
        // O_NONBLOCK so that a FIFO cannot hang the call in open(2) before fstat refuses it.
        try workspace.withDescriptor(path, flags: O_RDONLY | O_NONBLOCK) { descriptor throws(ToolFailure) in
            var info = stat()
            guard fstat(descriptor, &info) == 0 else { throw workspace.failure(errno, path) }
            switch info.st_mode & S_IFMT {
            case S_IFREG: break
            case S_IFDIR: throw ToolFailure(.invalidArgument, "path: \"\(path)\" is a directory, not a file")
            default: throw ToolFailure(.invalidArgument, "path: \"\(path)\" is a special file (device, FIFO or socket), not a regular file")
            }
            let size = Int(info.st_size)
            guard offset <= size else {
                throw ToolFailure(.invalidArgument, "offset: \(offset) is past the end of \"\(path)\", which has \(size) bytes")
            }
            var bytes = [UInt8](repeating: 0, count: min(length, size - offset))
            var filled = 0
            while filled < bytes.count {
                let count = bytes.withUnsafeMutableBytes {
                    pread(descriptor, $0.baseAddress! + filled, $0.count - filled, off_t(offset + filled))
                }
                if count < 0, errno == EINTR { continue }
                guard count >= 0 else { throw workspace.failure(errno, path) }
                if count == 0 { break }  // the file shrank since fstat
                filled += count
            }
            return (Array(bytes.prefix(filled)), size)
        }
    }
}
