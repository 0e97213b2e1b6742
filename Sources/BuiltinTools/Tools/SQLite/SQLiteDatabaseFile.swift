import CArchive
import CSandboxSupport
import Foundation
import Glibc

/// Finds the database file a SQLite tool names, inside the workspace.
enum SQLiteDatabaseFile {
    /// The host path of the regular file at `path`, after resolving links inside the workspace;
    /// with `create`, an empty file (a valid empty database) is made first when nothing is there.
    /// - Returns: the host path, and whether this call created the file.
    /// - Throws: ``ToolFailure`` `not_found` (missing, and not to be created), `denied` (a link out),
    ///   `invalid_argument` (a directory or special file).
    static func resolve(_ path: WorkspacePath, in workspace: Workspace, create: Bool) throws(ToolFailure) -> (hostPath: String, created: Bool) {
        var created = false
        if create, try workspace.entry(at: path) == nil {
            try workspace.write(Data(), to: path, mode: .createNew, createParents: false)
            created = true
        }
        // O_NONBLOCK: a FIFO must not hang the open before it is refused.
        try workspace.withDescriptor(path, flags: O_RDONLY | O_NONBLOCK) { descriptor throws(ToolFailure) in
            var info = stat()
            guard fstat(descriptor, &info) == 0 else { throw workspace.failure(errno, path) }
            guard info.st_mode & S_IFMT == S_IFREG else {
                throw ToolFailure(.invalidArgument, "\(path.field): \"\(path)\" is not a regular file")
            }
        }
        return (try workspace.hostPath(of: path), created)
    }
}
