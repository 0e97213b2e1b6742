import CSandboxSupport
import Foundation

extension Workspace {
    /// Creates a file that must not exist yet, atomically: the data goes to a temporary file that
    /// is then hard-linked into place (`linkat` refuses an existing name), so the file never
    /// appears half-written and an existing file is never replaced.
    /// - Throws: ``ToolFailure`` `invalid_argument` when something exists at `path`, `not_found`
    ///   for a missing parent (unless `createParents`), `denied` for a link out.
    public func writeNew(_ data: Data, to path: WorkspacePath, createParents: Bool) throws(ToolFailure) {
        guard !path.isRoot else {
            throw ToolFailure(.invalidArgument, "\(path.field): the workspace root is a directory, not a file")
        }
        if createParents { try createDirectory(path.parent, withParents: true) }
        let parent = try openDescriptor(path.parent, flags: openPathOnly | O_DIRECTORY)
        defer { close(parent) }
        let temporary = path.parent.appending(".\(path.lastComponent).toolhost-\(UUID().uuidString.prefix(8))")
        try write(data, to: temporary, mode: .createNew, createParents: false)
        defer { unlinkat(parent, temporary.lastComponent, 0) }
        guard linkat(parent, temporary.lastComponent, parent, path.lastComponent, 0) == 0 else {
            if errno == EEXIST { throw ToolFailure(.invalidArgument, "\(path.field): \"\(path)\" already exists") }
            throw failure(errno, path)
        }
    }

    /// Removes a file, a symbolic link (not its target) or, with `directory`, an empty directory.
    /// - Throws: ``ToolFailure`` `not_found`, `denied` for a parent link out, or the errno's meaning.
    public func remove(_ path: WorkspacePath, directory: Bool = false) throws(ToolFailure) {
        guard !path.isRoot else { throw ToolFailure(.invalidArgument, "\(path.field): the workspace root cannot be removed") }
        let parent = try openDescriptor(path.parent, flags: openPathOnly | O_DIRECTORY)
        defer { close(parent) }
        guard unlinkat(parent, path.lastComponent, directory ? AT_REMOVEDIR : 0) == 0 else { throw failure(errno, path) }
    }

    /// The target of the symbolic link at `path`, as stored in the link (not resolved).
    /// - Throws: ``ToolFailure`` `not_found`, `invalid_argument` when `path` is not a link.
    public func symbolicLinkTarget(at path: WorkspacePath) throws(ToolFailure) -> String {
        let parent = try openDescriptor(path.parent, flags: openPathOnly | O_DIRECTORY)
        defer { close(parent) }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlinkat(parent, path.lastComponent, &buffer, buffer.count - 1)
        guard count >= 0 else {
            if errno == EINVAL { throw ToolFailure(.invalidArgument, "\(path.field): \"\(path)\" is not a symbolic link") }
            throw failure(errno, path)
        }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Creates a symbolic link at `path` holding `target`; the target is stored, never followed here.
    /// - Throws: ``ToolFailure`` `invalid_argument` when something exists at `path`, `not_found` for a
    ///   missing parent, `denied` for a parent link out.
    public func createSymbolicLink(at path: WorkspacePath, target: String) throws(ToolFailure) {
        let parent = try openDescriptor(path.parent, flags: openPathOnly | O_DIRECTORY)
        defer { close(parent) }
        guard symlinkat(target, parent, path.lastComponent) == 0 else {
            if errno == EEXIST { throw ToolFailure(.invalidArgument, "\(path.field): \"\(path)\" already exists") }
            throw failure(errno, path)
        }
    }
}
