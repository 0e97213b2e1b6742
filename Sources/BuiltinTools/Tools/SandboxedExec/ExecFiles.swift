import Foundation
import Glibc
import Sandbox

/// Writes a call's `files` into the workspace before the program starts.
enum ExecFiles {
    /// `AT_EMPTY_PATH` (Linux): act on the descriptor itself. Glibc's Swift overlay leaves it out
    /// because it is behind `_GNU_SOURCE`.
    private static let emptyPath: Int32 = 0x1000

    /// Writes every file (replacing an existing one, creating missing directories) and, when the
    /// sandbox runs as another host user than this process, hands each file and the directories on
    /// its path to that user: the sandbox gets only the workspace root for the run, and a program
    /// could otherwise neither change the files it was given nor write next to them.
    /// - Throws: ``ToolFailure`` naming `files[i].path` (a link out of the workspace, a directory in
    ///   the way, no space left).
    static func write(_ files: [ExecRequest.InputFile], into workspace: Workspace, owner: SandboxPolicy.HostIdentity?) throws(ToolFailure) {
        for file in files {
            try workspace.write(file.contents, to: file.path, mode: .overwrite, createParents: true)
            guard let owner else { continue }
            var path = file.path
            while !path.isRoot {
                try handOver(path, in: workspace, to: owner)
                path = path.parent
            }
        }
    }

    private static func handOver(_ path: WorkspacePath, in workspace: Workspace, to owner: SandboxPolicy.HostIdentity) throws(ToolFailure) {
        try workspace.withDescriptor(path, flags: openPathOnly | O_NOFOLLOW | O_CLOEXEC) { descriptor throws(ToolFailure) in
            guard fchownat(descriptor, "", owner.uid, owner.gid, emptyPath | AT_SYMLINK_NOFOLLOW) == 0 else {
                throw ToolFailure(.internalError, "\(path.field): cannot hand \"\(path)\" to the sandbox's user: \(String(cString: strerror(errno)))")
            }
        }
    }
}
