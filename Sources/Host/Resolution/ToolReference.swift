import ToolhostCore

/// How a caller names a tool: `hash_digest`, `acme/word-count` (a package with one tool),
/// `acme/word-count/count`, each optionally with `@range` (`@^1`, `@1.2.3`, `@>=1 <3`).
public struct ToolReference: Sendable, Hashable, CustomStringConvertible {
    /// The name without the range: one segment for a built-in, two for a package, three for a
    /// tool of a package.
    public var name: String
    /// The version range; nil means the latest version.
    public var range: VersionRange?
    /// The text the range was written as, for messages.
    public var rangeText: String?

    /// Parses `name[@range]`.
    /// - Throws: ``ToolhostError`` `invalid_input` naming what is wrong with the reference.
    public init(parsing text: String) throws(ToolhostError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var name = Substring(trimmed)
        if let at = trimmed.firstIndex(of: "@") {
            name = trimmed[..<at]
            let written = String(trimmed[trimmed.index(after: at)...])
            do {
                range = try VersionRange(parsing: written)
            } catch {
                throw ToolhostError(.invalidInput, "tool \"\(text)\": \"\(written)\" is not a version range: \(error)")
            }
            rangeText = written
        }
        let segments = name.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...3).contains(segments.count), segments.allSatisfy({ !$0.isEmpty }) else {
            throw ToolhostError(.invalidInput, "tool \"\(text)\": expected a built-in name (hash_digest), a package (acme/word-count) or a package's tool (acme/word-count/count), optionally with @range")
        }
        self.name = String(name)
    }

    public var description: String { rangeText.map { "\(name)@\($0)" } ?? name }

    /// The package part (`acme/word-count`) of a two- or three-segment reference.
    var packageName: String? {
        let segments = name.split(separator: "/")
        return segments.count >= 2 ? segments[0...1].joined(separator: "/") : nil
    }
}

import Foundation
