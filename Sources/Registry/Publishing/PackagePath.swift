import ToolhostCore

/// The rules for a path inside a package, shared by the reader (paths from an untrusted archive) and
/// the writer (paths from a publisher's directory), so that whatever the writer packs the reader accepts.
enum PackagePath {
    /// Checks an entry name from an archive and returns it normalised: a leading `./` (as
    /// `tar -C dir .` writes) and, for directories, a trailing `/` are dropped. Everything else must
    /// already be canonical: a `.` or empty component in the middle is refused rather than
    /// normalised, so that one file has exactly one spelling and duplicates cannot hide.
    ///
    /// Returns `nil` for the root itself (`.` or `./`), which carries nothing.
    /// - Throws: ``PublishError`` `absolute_path`, `path_traversal`, `invalid_path`, `path_too_long`
    ///   or `path_too_deep`, naming the entry and the limit.
    static func normalize(_ raw: String, limits: PackageArchiveLimits) throws(PublishError) -> String? {
        if raw.isEmpty { throw PublishError(.invalidPath, "an entry has an empty path", entry: raw) }
        if raw.hasPrefix("/") {
            throw PublishError(.absolutePath, "\(quoted(raw)): absolute paths are not allowed; paths are relative to the package root", entry: raw)
        }
        // Checked before splitting, so that `a\..\b` cannot pass as one harmless-looking component.
        if let bad = raw.unicodeScalars.first(where: { $0 == "\\" || $0.value < 0x20 || $0.value == 0x7F }) {
            let what = bad == "\\" ? "a backslash" : bad.value == 0 ? "a NUL byte" : "a control character"
            throw PublishError(.invalidPath, "\(quoted(raw)): the path contains \(what); use `/` between plain names", entry: raw)
        }
        var components = raw.split(separator: "/", omittingEmptySubsequences: false)
        if components.contains("..") {
            throw PublishError(.pathTraversal, "\(quoted(raw)): `..` is not allowed in a path; every entry must stay inside the package", entry: raw)
        }
        while components.first == ".", components.count > 1 { components.removeFirst() }
        if components.last == "" { components.removeLast() }
        if components.isEmpty || components == ["."] { return nil }
        if components.contains(where: { $0.isEmpty || $0 == "." }) {
            throw PublishError(.invalidPath, "\(quoted(raw)): the path has an empty or `.` component; write it in canonical form", entry: raw)
        }
        let path = components.joined(separator: "/")
        if path.utf8.count > limits.maxPathBytes {
            throw PublishError(
                .pathTooLong, "\(quoted(raw)): the path is \(path.utf8.count) bytes long; the limit is \(limits.maxPathBytes)", entry: raw,
                details: ["limit": .int(limits.maxPathBytes), "actual": .int(path.utf8.count)])
        }
        if components.count > limits.maxPathDepth {
            throw PublishError(
                .pathTooDeep, "\(quoted(raw)): the path is \(components.count) levels deep; the limit is \(limits.maxPathDepth)", entry: raw,
                details: ["limit": .int(limits.maxPathDepth), "actual": .int(components.count)])
        }
        return path
    }

    /// Whether a symbolic link at `path` (already normalised) with `target` stays inside the package.
    ///
    /// Resolved lexically, one component at a time, because the target's components may themselves
    /// be links; a target that ever climbs above the root (`a/../../x`) is outside even if it comes back.
    static func linkStaysInside(path: String, target: String) -> Bool {
        if target.isEmpty || target.hasPrefix("/") || target.contains("\\") { return false }
        var depth = path.split(separator: "/").count - 1  // the link's own directory
        for component in target.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".": continue
            case "..":
                depth -= 1
                if depth < 0 { return false }
            default: depth += 1
            }
        }
        return true
    }

    /// `"name"` as Swift writes a string literal, so that odd characters are visible in messages.
    static func quoted(_ path: String) -> String { path.debugDescription }
}
