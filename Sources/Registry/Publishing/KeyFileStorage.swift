import Foundation
import Glibc

/// Reads and writes key files, keeping private keys private.
enum KeyFileStorage {
    /// Writes `data` to `url` with `mode`, replacing the file atomically when `overwrite` is true.
    ///
    /// The bytes go to a temporary file created with `mode` from the start (`O_CREAT | O_EXCL`), then
    /// renamed into place: a private key is never readable by others, not even for the moment
    /// between writing it and a `chmod`.
    /// - Throws: ``PublishError`` `io_error` naming the file, also when it exists and `overwrite` is false.
    static func write(_ data: Data, to url: URL, mode: mode_t, overwrite: Bool) throws(PublishError) {
        let path = url.path
        if !overwrite, FileManager.default.fileExists(atPath: path) {
            throw PublishError(.io, "\(path) exists; refusing to overwrite a key file")
        }
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp").path
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw failure("cannot create", temporary) }
        var written = 0
        let complete = data.withUnsafeBytes { buffer -> Bool in
            while written < buffer.count {
                let result = Glibc.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if result < 0, errno == EINTR { continue }
                guard result > 0 else { return false }
                written += result
            }
            return true
        }
        let synced = complete && fsync(descriptor) == 0
        close(descriptor)
        guard synced, rename(temporary, path) == 0 else {
            let error = failure("cannot write", path)
            unlink(temporary)
            throw error
        }
    }

    /// Reads the file at `url`.
    /// - Throws: ``PublishError`` `invalid_key` naming the file when it cannot be read.
    static func read(_ url: URL) throws(PublishError) -> Data {
        do {
            return try Data(contentsOf: url)
        } catch {
            throw PublishError(.invalidKey, "cannot read the key file \(url.path): \(error.localizedDescription)")
        }
    }

    /// The permission bits of the file at `url`, or `nil` when it cannot be inspected.
    static func permissions(of url: URL) -> mode_t? {
        var info = stat()
        guard stat(url.path, &info) == 0 else { return nil }
        return info.st_mode & 0o777
    }

    private static func failure(_ what: String, _ path: String) -> PublishError {
        PublishError(.io, "\(what) \(path): \(String(cString: strerror(errno)))")
    }
}
