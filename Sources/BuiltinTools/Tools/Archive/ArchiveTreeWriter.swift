import Foundation
import Glibc

/// Writes an archive's entries below a destination, remembering what it created so that a failed
/// extraction can remove it again.
struct ArchiveTreeWriter {
    let workspace: Workspace
    let destination: WorkspacePath
    private var created: [(path: WorkspacePath, isDirectory: Bool)] = []

    init(workspace: Workspace, destination: WorkspacePath) {
        self.workspace = workspace
        self.destination = destination
    }

    /// The workspace path of the entry `path`, named after the `destination` field.
    func target(_ path: String) throws(ToolFailure) -> WorkspacePath {
        try destination.appendingRelative(path, field: "destination")
    }

    /// Creates `directory` and the missing ones above it.
    mutating func ensureDirectory(_ directory: WorkspacePath) throws(ToolFailure) {
        if directory.isRoot { return }
        if let existing = try workspace.entry(at: directory) {
            if existing.kind == .directory { return }
            // A link to a directory inside the workspace is fine to write through: openat2 keeps it inside.
            if existing.kind == .symlink {
                _ = try workspace.entries(of: directory)
                return
            }
            throw ToolFailure(.invalidArgument, "destination: \"\(directory)\" exists and is not a directory")
        }
        try ensureDirectory(directory.parent)
        try workspace.createDirectory(directory, withParents: false)
        created.append((directory, true))
    }

    /// Creates a new file for the entry `path` (never replacing anything) and returns its descriptor.
    mutating func createFile(_ path: String, executable: Bool) throws(ToolFailure) -> Int32 {
        let file = try target(path)
        try ensureDirectory(file.parent)
        let descriptor: Int32
        do {
            descriptor = try workspace.openDescriptor(
                file, flags: O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode: executable ? 0o755 : 0o644)
        } catch {
            // Workspace reports EEXIST only by its text; it can only come from O_EXCL here.
            if error.message.hasSuffix(String(cString: strerror(EEXIST))) {
                throw ToolFailure(.invalidArgument, "destination: \"\(file)\" already exists; extraction never overwrites")
            }
            throw error
        }
        created.append((file, false))
        return descriptor
    }

    /// Creates the symbolic link of the entry `path`.
    mutating func createLink(_ path: String, target linkTarget: String) throws(ToolFailure) {
        let link = try target(path)
        try ensureDirectory(link.parent)
        try workspace.createSymbolicLink(at: link, target: linkTarget)
        created.append((link, false))
    }

    /// Writes all of `bytes` to the entry's descriptor.
    func writeAll(_ bytes: ArraySlice<UInt8>, to descriptor: Int32, path: String) throws(ToolFailure) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                let code = errno
                if code == ENOSPC || code == EDQUOT {
                    throw ToolFailure(.tooLarge, "destination: no space left while writing \(path.debugDescription)")
                }
                throw ToolFailure(.internalError, "destination: cannot write \(path.debugDescription): \(String(cString: strerror(code)))")
            }
            offset += count
        }
    }

    /// Removes what this writer created, newest first.
    func rollBack() {
        for (path, isDirectory) in created.reversed() {
            try? workspace.remove(path, directory: isDirectory)
        }
    }
}
