/// Entry paths and link targets inside an archive, judged by their text before anything is written.
enum ArchiveEntryPath {
    /// The entry's path without `./` and trailing `/`; nil for the archive's root (`./`).
    /// - Throws: ``ToolFailure`` `denied` for an absolute path or a `..` segment, `invalid_argument`
    ///   for a backslash, a NUL or control character, naming the entry.
    static func normalize(_ raw: String) throws(ToolFailure) -> String? {
        if raw.hasPrefix("/") {
            throw ToolFailure(.denied, "archive: the entry \(raw.debugDescription) has an absolute path; extraction refuses it")
        }
        if raw.contains("\\") || raw.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw ToolFailure(.invalidArgument, "archive: the entry \(raw.debugDescription) has a backslash or a control character in its path")
        }
        var segments: [Substring] = []
        for segment in raw.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": throw ToolFailure(.denied, "archive: the entry \(raw.debugDescription) has a \"..\" segment; extraction refuses it")
            default: segments.append(segment)
            }
        }
        return segments.isEmpty ? nil : segments.joined(separator: "/")
    }

    /// True when a link at `path` (relative to a root) with `target` resolves, by its text, to the
    /// root or below it. `links` are the paths of other links: a `..` after passing through one of
    /// them could go anywhere, so that counts as leaving.
    static func linkStaysInside(path: String, target: String, links: Set<String> = []) -> Bool {
        if target.isEmpty || target.hasPrefix("/") || target.contains("\\") { return false }
        var components = path.split(separator: "/").dropLast().map(String.init)
        var throughLink = false
        for component in target.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".": continue
            case "..":
                if throughLink || components.isEmpty { return false }
                components.removeLast()
            default:
                components.append(String(component))
                if links.contains(components.joined(separator: "/")) { throughLink = true }
            }
        }
        return true
    }
}
