import Foundation
import Glibc

/// Creates what the data directory holds with the modes it needs: the catalog, blobs and keys are
/// the server's own, and no other local user may read them.
public enum PrivateStorage {
    /// Directories only the server's user enters (blobs).
    public static let directoryMode: mode_t = 0o700
    /// Files only the server's user reads: the database (SQLite gives its `-wal` and `-shm` files the
    /// database's mode), blobs and `admin.key`.
    public static let fileMode: mode_t = 0o600

    /// Creates the directory `url` with exactly `mode` (missing parents get the usual 0755), or
    /// leaves an existing one as it is.
    /// - Throws: `POSIXError` when it cannot be created.
    public static func createDirectory(_ url: URL, mode: mode_t = directoryMode) throws {
        let path = url.path
        if mkdir(path, mode) != 0 {
            switch errno {
            case EEXIST: return
            case ENOENT:
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                guard mkdir(path, mode) == 0 || errno == EEXIST else { throw lastError }
            default: throw lastError
            }
        }
        // The umask may have taken bits that `mode` asks for (0711's search bits).
        guard chmod(path, mode) == 0 else { throw lastError }
    }

    /// Creates the empty file `path` with `mode` unless it exists; SQLite opens an empty file as a
    /// new database, and then keeps `mode` for it and its `-wal` and `-shm` files.
    /// - Throws: `POSIXError` when it cannot be created.
    public static func createFile(atPath path: String, mode: mode_t = fileMode) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        if descriptor >= 0 {
            close(descriptor)
        } else if errno != EEXIST {
            throw lastError
        }
    }

    /// The error in `errno`.
    private static var lastError: POSIXError { POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
}
