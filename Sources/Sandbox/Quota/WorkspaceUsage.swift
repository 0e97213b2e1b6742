import CSandboxSupport
import Glibc

/// What a workspace holds, measured from a directory descriptor the way ``WorkdirFiles`` reads it:
/// every directory is opened below its parent with `openat2` (no symbolic link, no `..`, no other
/// mount), so sandboxed code that renames and swaps links while it is measured can hide files from
/// one measurement at most, never point it elsewhere.
public struct WorkspaceUsage: Sendable, Hashable {
    /// The sum of the sizes of the regular files, each hard-linked file counted once, plus the
    /// length of each symbolic link's target.
    public var bytes = 0
    /// Every entry below the root.
    public var entries = 0
    /// Set when part of the tree could not be measured (a directory nested too deep, or one the
    /// host cannot open): such a workspace counts as over any quota, so nothing can hide there.
    public var unmeasurable: String?

    public init(bytes: Int = 0, entries: Int = 0) {
        self.bytes = bytes
        self.entries = entries
    }

    /// Deeper directories make the workspace unmeasurable rather than the walk unbounded.
    public static let maximumDepth = 256

    /// Measures the tree below the directory at `path` (itself not followed if it is a link).
    public static func measure(path: String) -> WorkspaceUsage {
        let root = toolhost_open_directory_path(path)
        guard root >= 0 else {
            var usage = WorkspaceUsage()
            usage.unmeasurable = "cannot open \(path): \(String(cString: strerror(errno)))"
            return usage
        }
        defer { close(root) }
        return measure(directory: root)
    }

    /// Measures the tree below an open directory descriptor (an `O_PATH` one is enough); the
    /// descriptor stays open.
    public static func measure(directory: Int32) -> WorkspaceUsage {
        var usage = WorkspaceUsage()
        var seenLinkedFiles = Set<FileIdentity>()
        walk(directory, path: "", depth: 0, into: &usage, seen: &seenLinkedFiles)
        return usage
    }

    private struct FileIdentity: Hashable {
        var device: UInt
        var inode: UInt
    }

    private static func walk(_ directory: Int32, path: String, depth: Int, into usage: inout WorkspaceUsage,
                             seen: inout Set<FileIdentity>) {
        guard usage.unmeasurable == nil else { return }
        guard depth < maximumDepth else {
            usage.unmeasurable = "\(path) is nested deeper than \(maximumDepth) directories"
            return
        }
        let listing = toolhost_open_beneath(directory, ".", O_RDONLY | O_DIRECTORY)
        guard listing >= 0, let stream = fdopendir(listing) else {
            let code = errno
            if listing >= 0 { close(listing) }
            // A directory that vanished while it was measured holds nothing any more.
            if code != ENOENT { usage.unmeasurable = "cannot read \(path.isEmpty ? "." : path): \(String(cString: strerror(code)))" }
            return
        }
        defer { closedir(stream) }
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name == "." || name == ".." { continue }
            var info = stat()
            guard fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            usage.entries += 1
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                if info.st_nlink > 1, !seen.insert(FileIdentity(device: UInt(info.st_dev), inode: UInt(info.st_ino))).inserted { continue }
                usage.bytes += Int(info.st_size)
            case S_IFLNK:
                usage.bytes += Int(info.st_size)
            case S_IFDIR:
                let child = toolhost_open_beneath_directory(directory, name)
                guard child >= 0 else { continue }
                walk(child, path: path.isEmpty ? name : "\(path)/\(name)", depth: depth + 1, into: &usage, seen: &seen)
                close(child)
            default:
                continue
            }
            if usage.unmeasurable != nil { return }
        }
    }
}
