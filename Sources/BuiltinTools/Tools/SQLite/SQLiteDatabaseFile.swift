import CArchive
import CSQLiteConfinement
import CSandboxSupport
import Foundation
import Glibc

/// The database file a SQLite tool names, as SQLite will open it: through the workspace's
/// descriptor, never through a host path.
///
/// SQLite opens the database and its `-journal`, `-wal` and `-shm` files by name, again and again
/// during a call. The name it gets here is `/.toolhost-workspace/<slot>/<path>`, which the confined
/// unix VFS (`CSQLiteConfinement`) resolves from the registered workspace root with `openat2`
/// (beneath, no links) every time; so sandboxed code that swaps a directory for a link while the
/// call runs makes the open fail instead of redirecting it, and nothing SQLite reports (errors,
/// `pragma database_list`) names a host path.
final class SQLiteDatabaseFile {
    /// The name to give `sqlite3_open_v2`.
    let sqliteName: String
    /// Whether this call created the (empty) file.
    let created: Bool
    private let slot: Int32

    /// Finds the regular file at `path` (links inside the workspace resolved once, here); with
    /// `create`, an empty file (a valid empty database) is made first when nothing is there.
    /// - Throws: ``ToolFailure`` `not_found` (missing, and not to be created), `denied` (a link out),
    ///   `invalid_argument` (a directory or special file), `internal_error` (no free slot).
    init(_ path: WorkspacePath, in workspace: Workspace, create: Bool) throws(ToolFailure) {
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
        let linkFree = try workspace.linkFreePath(of: path)
        let root = try workspace.rootDescriptor()
        defer { close(root) }
        let slot = toolhost_sqlite_workspace_register(root)
        guard slot >= 0 else {
            throw ToolFailure(
                .internalError, "\(path.field): cannot confine SQLite to the workspace: \(String(cString: strerror(errno)))")
        }
        self.slot = slot
        self.created = created
        sqliteName = TOOLHOST_SQLITE_WORKSPACE_PREFIX + "\(slot)/\(linkFree.value)"
    }

    deinit {
        toolhost_sqlite_workspace_unregister(slot)
    }
}
