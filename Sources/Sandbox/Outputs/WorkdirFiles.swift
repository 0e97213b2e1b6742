import CSandboxSupport
import Foundation
import Glibc

/// Reads what a sandboxed program left in its workdir, treating every path as hostile: nothing is
/// opened through a symlink, `..`, a magic link or another mount (openat2 with RESOLVE_BENEATH and
/// RESOLVE_NO_SYMLINKS), because the supervisor has the host's rights and the program chose the names.
public enum WorkdirFiles {
    /// At most this many entries are listed, so a program cannot make collection itself a denial of service.
    public static let maximumEntries = 10_000
    static let maximumDepth = 32

    /// The files under `workdir`, sorted by path; symlinks are listed as links and never followed.
    public static func list(_ workdir: String) -> [SandboxResult.OutputFile] {
        let root = toolhost_open_directory_path(workdir)
        guard root >= 0 else { return [] }
        defer { close(root) }
        var files: [SandboxResult.OutputFile] = []
        walk(root, prefix: "", depth: 0, into: &files)
        return files.sorted { $0.path < $1.path }
    }

    /// The contents of `relativePath` below `workdir`, at most `maximumBytes`.
    /// - Returns: nil when the path escapes the workdir, passes through a link, is not a regular file, or is missing.
    public static func read(_ relativePath: String, in workdir: String, maximumBytes: Int) -> Data? {
        let root = toolhost_open_directory_path(workdir)
        guard root >= 0 else { return nil }
        defer { close(root) }
        let descriptor = toolhost_open_beneath(root, relativePath, O_RDONLY | O_NONBLOCK)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while data.count < maximumBytes {
            let count = Glibc.read(descriptor, &buffer, min(buffer.count, maximumBytes - data.count))
            if count <= 0 { break }
            data.append(contentsOf: buffer[..<count])
        }
        return data
    }

    private static func walk(_ directory: Int32, prefix: String, depth: Int, into files: inout [SandboxResult.OutputFile]) {
        guard depth < maximumDepth else { return }
        let listing = toolhost_open_beneath(directory, ".", O_RDONLY | O_DIRECTORY)
        guard listing >= 0, let stream = fdopendir(listing) else { return }
        defer { closedir(stream) }
        while files.count < maximumEntries, let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name == "." || name == ".." { continue }
            var info = stat()
            guard fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            let path = prefix.isEmpty ? name : "\(prefix)/\(name)"
            switch info.st_mode & S_IFMT {
            case S_IFLNK:
                files.append(.init(path: path, size: Int(info.st_size), isSymlink: true))
            case S_IFREG:
                files.append(.init(path: path, size: Int(info.st_size), isSymlink: false))
            case S_IFDIR:
                let child = toolhost_open_beneath_directory(directory, name)
                guard child >= 0 else { continue }
                walk(child, prefix: path, depth: depth + 1, into: &files)
                close(child)
            default:
                continue
            }
        }
    }
}
