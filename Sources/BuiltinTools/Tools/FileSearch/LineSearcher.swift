import Foundation
import ToolhostCore

/// Searches one file's lines with a regular expression, as `grep -n` would: a line is the text
/// between `\n` characters, without a final `\r`.
struct LineSearcher {
    /// Files with a NUL byte in this many leading bytes are binary.
    static let binaryProbeBytes = 8192
    /// Reported lines are cut to this many code points.
    static let maximumLineLength = 1000

    let workspace: Workspace
    let engine: RegexEngine
    let maxFileBytes: Int

    /// The matching lines of `file`, at most `maxMatches` of them; nil when the file is skipped (too
    /// large for maxFileBytes, binary, or gone since it was listed).
    /// - Throws: the time limit's failure, or the workspace's for an unreadable file.
    func search(_ file: FileWalker.File, maxMatches: Int, within limit: inout RegexTimeLimit) throws(ToolFailure) -> [JSONValue]? {
        guard file.size <= maxFileBytes else { return nil }
        let data: Data
        do {
            data = try workspace.read(file.path, maxBytes: maxFileBytes)
        } catch {
            // The file changed between listing and reading; skip it rather than fail the search.
            if [.tooLarge, .notFound, .invalidArgument, .denied].contains(error.kind) { return nil }
            throw error
        }
        if data.prefix(Self.binaryProbeBytes).contains(0) { return nil }
        let text = RegexText(String(decoding: data, as: UTF8.self))
        engine.reset(text)
        var matches: [JSONValue] = []
        var lineNumber = 0
        var lineStart = 0
        let units = text.units
        while lineStart < text.utf16Count {
            lineNumber += 1
            let newline = units[lineStart...].firstIndex(of: 0x0A) ?? text.utf16Count
            var lineEnd = newline
            if lineEnd > lineStart, units[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            engine.limit(to: lineStart..<lineEnd)
            if try engine.hasMatch(within: &limit) {
                let line = text.string(lineStart..<lineEnd)
                let cut = String(String.UnicodeScalarView(line.unicodeScalars.prefix(Self.maximumLineLength)))
                matches.append(["path": .string(file.path.value), "line": .int(lineNumber), "text": .string(cut)])
                if matches.count >= maxMatches { break }
            }
            lineStart = newline + 1
        }
        return matches
    }
}
