/// A path inside a workspace as callers write it: relative, `/`-separated, without `..`.
///
/// Checked by syntax before anything touches the disk, so the error names the field and the rule.
/// Symbolic links are the other way out; ``Workspace`` refuses those when it opens the path.
public struct WorkspacePath: Sendable, Hashable, CustomStringConvertible {
    /// The normalised path: no `.` segments, no trailing slash; `"."` for the workspace root.
    public let value: String
    /// The input field the path came from, for error messages (`path`, `files[2].path`).
    public let field: String

    /// Checks `raw` (from input field `field`) and normalises it.
    /// - Throws: ``ToolFailure`` `denied` for an absolute path or a `..` segment, `invalid_argument`
    ///   for an empty path, an empty segment (`a//b`), a NUL byte or a backslash.
    public init(_ raw: String, field: String) throws(ToolFailure) {
        if raw.hasPrefix("/") {
            throw ToolFailure(.denied, "\(field): \"\(raw)\" is an absolute path; paths are relative to the workspace")
        }
        if raw.isEmpty {
            throw ToolFailure(.invalidArgument, "\(field): the path is empty")
        }
        if raw.contains("\0") || raw.contains("\\") {
            throw ToolFailure(.invalidArgument, "\(field): \"\(raw)\" contains a NUL byte or a backslash")
        }
        var segments: [Substring] = []
        let parts = raw.split(separator: "/", omittingEmptySubsequences: false)
        for (index, part) in parts.enumerated() {
            switch part {
            case "..":
                throw ToolFailure(.denied, "\(field): \"\(raw)\" has a \"..\" segment; paths may not leave the workspace")
            case ".":
                continue
            case "" where index == parts.count - 1 && index > 0:
                continue  // one trailing slash: "docs/"
            case "":
                throw ToolFailure(.invalidArgument, "\(field): \"\(raw)\" has an empty segment")
            default:
                segments.append(part)
            }
        }
        value = segments.isEmpty ? "." : segments.joined(separator: "/")
        self.field = field
    }

    /// The workspace root.
    public static let root = WorkspacePath(normalized: ".", field: "path")

    public var isRoot: Bool { value == "." }
    public var description: String { value }

    /// The last segment (`b.txt` of `a/b.txt`); `"."` for the root.
    public var lastComponent: String {
        value.split(separator: "/").last.map(String.init) ?? "."
    }

    /// The parent directory (`a` of `a/b.txt`, the root for `b.txt`).
    public var parent: WorkspacePath {
        guard let slash = value.lastIndex(of: "/") else { return WorkspacePath(normalized: ".", field: field) }
        return WorkspacePath(normalized: String(value[..<slash]), field: field)
    }

    /// This path with `name` appended (one segment, already known to be safe).
    public func appending(_ name: String) -> WorkspacePath {
        WorkspacePath(normalized: isRoot ? name : value + "/" + name, field: field)
    }

    private init(normalized: String, field: String) {
        value = normalized
        self.field = field
    }
}
