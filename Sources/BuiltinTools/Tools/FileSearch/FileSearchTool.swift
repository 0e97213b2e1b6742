import ToolhostCore

/// The `file_search` built-in: finds workspace files by glob and, with a `pattern`, the lines of
/// them that match a regular expression (the regex tool's engine and syntax).
public struct FileSearchTool: BuiltinTool {
    public let name = "file_search"

    public init() {}

    /// Runs one search.
    /// - Throws: ``ToolFailure`` `invalid_argument` for a bad glob or pattern, `not_found` /
    ///   `denied` for a bad `directory`, `timeout` when the call's time limit runs out.
    public func run(_ input: JSONValue, in context: ToolContext) async throws(ToolFailure) -> JSONValue {
        let glob = try FileGlob(input["glob"]?.stringValue ?? "**", field: "glob")
        let engine = try input["pattern"]?.stringValue.map { pattern throws(ToolFailure) in
            try RegexEngine(pattern: pattern, options: input["ignoreCase"]?.boolValue == true ? .ignoreCase : [])
        }
        let directory = try WorkspacePath(input["directory"]?.stringValue ?? ".", field: "directory")
        let timeoutMs = Int(context.timeoutSeconds(fallback: 30) * 1000)
        var limit = RegexTimeLimit.wallClock(
            milliseconds: timeoutMs,
            failure: ToolFailure(.timeout, "file_search ran longer than its time limit of \(timeoutMs) ms; "
                + "narrow glob or directory, or simplify pattern"))
        let walker = FileWalker(workspace: context.workspace, glob: glob, includeHidden: input["includeHidden"]?.boolValue ?? false,
                                limit: limit)
        let files = try walker.files(below: directory)
        let maxResults = input["maxResults"]?.intValue ?? 500

        guard let engine else {
            let reported = files.prefix(maxResults).map { file -> JSONValue in ["path": .string(file.path.value)] }
            return Self.output(reported, filesSearched: files.count, truncated: files.count > maxResults)
        }
        let searcher = LineSearcher(workspace: context.workspace, engine: engine, maxFileBytes: input["maxFileBytes"]?.intValue ?? 10 << 20)
        var matches: [JSONValue] = []
        var filesSearched = 0
        var truncated = false
        for file in files {
            let remaining = maxResults + 1 - matches.count
            guard let found = try searcher.search(file, maxMatches: remaining, within: &limit) else { continue }
            filesSearched += 1
            matches += found
            if matches.count > maxResults {
                matches.removeLast(matches.count - maxResults)
                truncated = true
                break
            }
        }
        return Self.output(matches, filesSearched: filesSearched, truncated: truncated)
    }

    private static func output(_ matches: [JSONValue], filesSearched: Int, truncated: Bool) -> JSONValue {
        [
            "matches": .array(matches), "matchCount": .int(matches.count), "filesSearched": .int(filesSearched),
            "truncated": .bool(truncated),
        ]
    }
}
