import Foundation
import Glibc
import Sandbox

/// A program's source in a private host directory outside the workspace, for binding read-only into
/// the sandbox. The caller removes it after the run.
struct SourceFile {
    /// The private directory holding the file.
    let directory: String
    /// The file on the host.
    let hostPath: String

    /// Writes `source` to a fresh directory of the host's temporary directory.
    /// - Parameter owner: the host user the sandbox runs as, when it is not this process's: the
    ///   launcher opens the bind's source as that user, so the directory and file are handed to it
    ///   (and stay closed to everyone else).
    /// - Throws: ``ToolFailure`` `internal_error` naming the path when the file cannot be written.
    init(source: String, name: String, owner: SandboxPolicy.HostIdentity?) throws(ToolFailure) {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("toolhost-exec-\(UUID().uuidString.lowercased())").path
        hostPath = directory + "/" + name
        guard mkdir(directory, 0o700) == 0 else { throw Self.failure("create", directory) }
        do throws(ToolFailure) {
            try write(source)
            if let owner {
                guard chown(hostPath, owner.uid, owner.gid) == 0, chown(directory, owner.uid, owner.gid) == 0 else {
                    throw Self.failure("hand over", hostPath)
                }
            }
        } catch {
            remove()
            throw error
        }
    }

    private func write(_ source: String) throws(ToolFailure) {
        let descriptor = open(hostPath, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o400)
        guard descriptor >= 0 else { throw Self.failure("create", hostPath) }
        defer { close(descriptor) }
        var bytes = Array(source.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw Self.failure("write", hostPath)
            }
            bytes = bytes.dropFirst(written)
        }
    }

    /// Removes the file and its directory.
    func remove() {
        unlink(hostPath)
        rmdir(directory)
    }

    private static func failure(_ action: String, _ path: String) -> ToolFailure {
        ToolFailure(.internalError, "cannot \(action) the program's source file \(path): \(String(cString: strerror(errno)))")
    }
}
