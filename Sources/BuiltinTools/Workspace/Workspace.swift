// `struct stat` reaches this module through libarchive's headers as well as Glibc's; whole-module
// builds may attribute it to CArchive, and member import visibility then asks for that import.
import CArchive
import CSandboxSupport
import Foundation
import Sandbox

/// A directory that confines the file tools of one caller (a per-agent or per-run workspace).
///
/// Every access goes through `openat2(RESOLVE_BENEATH)` from the root's descriptor: absolute paths
/// and `..` are refused by ``WorkspacePath`` before, and a symbolic link is followed only while it
/// stays inside (one that leaves is refused with `denied`). Nothing here follows a path string
/// from the host's root, so a link swapped in during a call cannot redirect it.
public struct Workspace: Sendable {
    /// The workspace directory on the host.
    public let root: URL
    /// What the workspace may hold; nil for no quota. Built-ins check it before they write, and
    /// sandboxed runs in the workspace are held to it (``SandboxRequest/workdirQuota``).
    public let quota: WorkspaceQuota?

    /// Uses `root` as a workspace, creating it (and its parents) when missing.
    /// - Throws: ``ToolFailure`` `internal_error` when the directory cannot be created.
    public init(root: URL, quota: WorkspaceQuota? = nil) throws(ToolFailure) {
        do {
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        } catch {
            throw ToolFailure(.internalError, "cannot create the workspace \(root.path): \(error.localizedDescription)")
        }
        self.root = root.standardizedFileURL
        self.quota = quota
    }

    /// Opens `path` below the root with `open(2)` flags; the caller owns (and closes) the descriptor.
    /// - Throws: ``ToolFailure``: `not_found`, `denied` (a link leaves the workspace), or the errno's meaning.
    public func openDescriptor(_ path: WorkspacePath, flags: Int32, mode: UInt32 = 0o644) throws(ToolFailure) -> Int32 {
        let rootDescriptor = try openRoot()
        defer { close(rootDescriptor) }
        let descriptor = toolhost_open_confined(rootDescriptor, path.value, flags, mode)
        guard descriptor >= 0 else { throw failure(errno, path) }
        return descriptor
    }

    /// Runs `body` with a descriptor for `path`, closing it afterwards.
    public func withDescriptor<Result>(
        _ path: WorkspacePath, flags: Int32, mode: UInt32 = 0o644,
        _ body: (Int32) throws(ToolFailure) -> Result
    ) throws(ToolFailure) -> Result {
        let descriptor = try openDescriptor(path, flags: flags, mode: mode)
        defer { close(descriptor) }
        return try body(descriptor)
    }

    /// The path's kind and size without following a final symbolic link; nil when nothing is there.
    public func entry(at path: WorkspacePath) throws(ToolFailure) -> WorkspaceEntry? {
        if path.isRoot { return WorkspaceEntry(name: ".", kind: .directory, size: 0) }
        let parent: Int32
        do {
            parent = try openDescriptor(path.parent, flags: openPathOnly | O_DIRECTORY)
        } catch {
            if error.kind == .notFound { return nil }
            throw error
        }
        defer { close(parent) }
        var info = stat()
        guard fstatat(parent, path.lastComponent, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw failure(errno, path)
        }
        return WorkspaceEntry(name: path.lastComponent, status: info)
    }

    /// The entries of a directory, sorted by name (Unicode code points), without `.` and `..`.
    /// - Throws: ``ToolFailure`` `not_found`, `invalid_argument` when `directory` is not one, `denied`.
    public func entries(of directory: WorkspacePath) throws(ToolFailure) -> [WorkspaceEntry] {
        let descriptor = try openDescriptor(directory, flags: O_RDONLY | O_DIRECTORY)
        guard let stream = fdopendir(descriptor) else {
            let code = errno
            close(descriptor)
            throw failure(code, directory)
        }
        defer { closedir(stream) }
        var entries: [WorkspaceEntry] = []
        while let record = readdir(stream) {
            let name = withUnsafeBytes(of: record.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name == "." || name == ".." { continue }
            var info = stat()
            guard fstatat(dirfd(stream), name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            entries.append(WorkspaceEntry(name: name, status: info))
        }
        return entries.sorted { $0.name.unicodeScalars.lexicographicallyPrecedes($1.name.unicodeScalars) }
    }

    /// Reads a whole regular file.
    /// - Throws: ``ToolFailure`` `too_large` naming the limit when the file has more than `maxBytes`.
    public func read(_ path: WorkspacePath, maxBytes: Int) throws(ToolFailure) -> Data {
        try withDescriptor(path, flags: O_RDONLY) { descriptor throws(ToolFailure) in
            var info = stat()
            guard fstat(descriptor, &info) == 0 else { throw failure(errno, path) }
            guard (info.st_mode & S_IFMT) == S_IFREG else {
                throw ToolFailure(.invalidArgument, "\(path.field): \"\(path)\" is not a regular file")
            }
            guard Int(info.st_size) <= maxBytes else {
                throw ToolFailure(.tooLarge, "\(path.field): \"\(path)\" has \(info.st_size) bytes, more than the limit of \(maxBytes)")
            }
            var data = Data()
            var buffer = [UInt8](repeating: 0, count: 64 << 10)
            while true {
                let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
                if count < 0 {
                    if errno == EINTR { continue }
                    throw failure(errno, path)
                }
                if count == 0 { break }
                data.append(contentsOf: buffer[0..<count])
                if data.count > maxBytes {
                    throw ToolFailure(.tooLarge, "\(path.field): \"\(path)\" is larger than the limit of \(maxBytes) bytes")
                }
            }
            return data
        }
    }

    /// How ``write(_:to:mode:createParents:)`` treats an existing file.
    public enum WriteMode: String, Sendable {
        /// Fail when the file exists.
        case createNew
        /// Replace the file's content (atomically: a temporary file renamed over it).
        case overwrite
        /// Add to the end of the file, creating it when missing.
        case append
    }

    /// Writes `data` to a regular file, after checking that the result fits the workspace's quota.
    /// - Throws: ``ToolFailure`` `workspace_quota` when it would not fit, `invalid_argument` when
    ///   `createNew` finds an existing file, `not_found`
    ///   when the parent directory is missing and `createParents` is false, `denied` for a link out.
    public func write(_ data: Data, to path: WorkspacePath, mode: WriteMode, createParents: Bool) throws(ToolFailure) {
        guard !path.isRoot else {
            throw ToolFailure(.invalidArgument, "\(path.field): the workspace root is a directory, not a file")
        }
        if quota != nil {
            // The file as it will be: a replaced file gives back its bytes, an appended one keeps them.
            let existing = try? entry(at: path)
            let added = mode == .overwrite ? data.count - (existing?.size ?? 0) : data.count
            try ensureRoom(forBytes: added, entries: existing == nil ? 1 : 0, field: path.field)
        }
        if createParents { try createDirectory(path.parent, withParents: true) }
        let parent = try openDescriptor(path.parent, flags: openPathOnly | O_DIRECTORY)
        defer { close(parent) }
        switch mode {
        case .createNew, .append:
            let flags = O_WRONLY | O_CREAT | O_NOFOLLOW | (mode == .createNew ? O_EXCL : O_APPEND)
            let descriptor = toolhost_open_confined(parent, path.lastComponent, flags, 0o644)
            guard descriptor >= 0 else {
                if errno == EEXIST {
                    throw ToolFailure(.invalidArgument, "\(path.field): \"\(path)\" already exists")
                }
                throw failure(errno, path)
            }
            defer { close(descriptor) }
            try writeAll(data, to: descriptor, path: path)
        case .overwrite:
            if let existing = try entry(at: path), existing.kind != .file {
                throw ToolFailure(.invalidArgument, "\(path.field): \"\(path)\" is a \(existing.kind.rawValue), not a regular file")
            }
            let temporaryName = ".\(path.lastComponent).toolhost-\(UUID().uuidString.prefix(8))"
            let descriptor = toolhost_open_confined(parent, temporaryName, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            guard descriptor >= 0 else { throw failure(errno, path) }
            do {
                defer { close(descriptor) }
                try writeAll(data, to: descriptor, path: path)
            } catch {
                unlinkat(parent, temporaryName, 0)
                throw error
            }
            guard renameat(parent, temporaryName, parent, path.lastComponent) == 0 else {
                let code = errno
                unlinkat(parent, temporaryName, 0)
                throw failure(code, path)
            }
        }
    }

    /// Creates a directory (and, with `withParents`, the missing ones above it); an existing
    /// directory is fine.
    public func createDirectory(_ path: WorkspacePath, withParents: Bool) throws(ToolFailure) {
        if path.isRoot { return }
        if withParents { try createDirectory(path.parent, withParents: true) }
        let parent = try openDescriptor(path.parent, flags: openPathOnly | O_DIRECTORY)
        defer { close(parent) }
        if mkdirat(parent, path.lastComponent, 0o755) == 0 { return }
        let code = errno
        if code == EEXIST, try entry(at: path)?.kind == .directory { return }
        if code == EEXIST {
            throw ToolFailure(.invalidArgument, "\(path.field): \"\(path)\" exists and is not a directory")
        }
        throw failure(code, path)
    }

    /// `path` with the symbolic links inside the workspace resolved: the path below the root that
    /// names the same file with no link in it, for code that must reopen it without following any
    /// (``SQLiteWorkspaceFiles``). A link that leaves the workspace is refused.
    /// - Throws: ``ToolFailure`` `not_found`, `denied` for a link out.
    public func linkFreePath(of path: WorkspacePath) throws(ToolFailure) -> WorkspacePath {
        let rootPath = try resolvedPath(of: openRoot())
        let resolved = try resolvedPath(of: openDescriptor(path, flags: openPathOnly))
        if resolved == rootPath { return .root }
        guard resolved.hasPrefix(rootPath + "/") else {
            throw ToolFailure(.denied, "\(path.field): \"\(path)\" resolves outside the workspace")
        }
        return try WorkspacePath(String(resolved.dropFirst(rootPath.count + 1)), field: path.field)
    }

    /// A new `O_PATH` descriptor of the workspace root; the caller closes it.
    /// - Throws: ``ToolFailure`` `internal_error` when the root cannot be opened.
    public func rootDescriptor() throws(ToolFailure) -> Int32 {
        try openRoot()
    }

    /// The kernel's name for an open descriptor, which it then closes.
    private func resolvedPath(of descriptor: Int32) throws(ToolFailure) -> String {
        defer { close(descriptor) }
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(descriptor)") else {
            throw ToolFailure(.internalError, "cannot resolve a workspace path through /proc/self/fd")
        }
        return target
    }

    private func openRoot() throws(ToolFailure) -> Int32 {
        let descriptor = open(root.path, openPathOnly | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw ToolFailure(.internalError, "cannot open the workspace \(root.path): \(String(cString: strerror(errno)))")
        }
        return descriptor
    }

    private func writeAll(_ data: Data, to descriptor: Int32, path: WorkspacePath) throws(ToolFailure) {
        var offset = 0
        while offset < data.count {
            let written = data.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw failure(errno, path)
            }
            offset += written
        }
    }

    /// Maps an errno from a confined open to a failure that names the path and the reason.
    func failure(_ code: Int32, _ path: WorkspacePath) -> ToolFailure {
        switch code {
        case ENOENT:
            ToolFailure(.notFound, "\(path.field): \"\(path)\" does not exist in the workspace")
        case EXDEV, ELOOP:
            ToolFailure(.denied, "\(path.field): \"\(path)\" goes through a symbolic link that leaves the workspace")
        case ENOTDIR:
            ToolFailure(.invalidArgument, "\(path.field): a parent of \"\(path)\" is not a directory")
        case EISDIR:
            ToolFailure(.invalidArgument, "\(path.field): \"\(path)\" is a directory")
        case EACCES, EPERM:
            ToolFailure(.denied, "\(path.field): \"\(path)\": permission denied")
        case ENOSPC, EDQUOT:
            ToolFailure(.tooLarge, "\(path.field): \"\(path)\": no space left in the workspace")
        default:
            ToolFailure(.internalError, "\(path.field): \"\(path)\": \(String(cString: strerror(code)))")
        }
    }
}

/// `O_PATH` (Linux, octal 010000000): a descriptor that names a file without opening it for I/O.
/// Glibc's Swift overlay leaves it out because it is behind `_GNU_SOURCE`.
let openPathOnly: Int32 = 0o10000000

/// One file, directory or link in a workspace, as `lstat` sees it.
public struct WorkspaceEntry: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case file, directory, symlink, other
    }

    public var name: String
    public var kind: Kind
    /// Size in bytes (of the link itself for a symlink).
    public var size: Int
    /// Last modification, when known.
    public var modified: Date?

    public init(name: String, kind: Kind, size: Int, modified: Date? = nil) {
        self.name = name
        self.kind = kind
        self.size = size
        self.modified = modified
    }

    init(name: String, status info: stat) {
        let kind: Kind = switch info.st_mode & S_IFMT {
        case S_IFREG: .file
        case S_IFDIR: .directory
        case S_IFLNK: .symlink
        default: .other
        }
        let seconds = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        self.init(name: name, kind: kind, size: Int(info.st_size), modified: Date(timeIntervalSince1970: seconds))
    }
}
