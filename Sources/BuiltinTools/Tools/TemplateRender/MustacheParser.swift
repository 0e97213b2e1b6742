/// Parses Mustache v1.4 templates (without lambdas, inheritance or dynamic names) into nodes.
///
/// Standalone tags — a section, inverted section, closing, comment, partial or delimiter tag alone on
/// its line with only spaces and tabs around it — are removed together with that whole line, as the
/// spec requires; a standalone partial keeps the line's indentation to apply to its own lines.
struct MustacheParser {
    private let source: [UInt8]
    /// Where the template comes from, for messages: "template" or "partials.header".
    private let origin: String
    private var open: [UInt8] = Array("{{".utf8)
    private var close: [UInt8] = Array("}}".utf8)
    private var position = 0
    /// Line numbers for messages, counted incrementally: tags are met in order.
    private var linesCounted = 1
    private var linesCountedUpTo = 0

    private struct OpenSection {
        var name: String
        var inverted: Bool
        var line: Int
        var children: [MustacheNode] = []
    }

    private enum TagKind: Equatable {
        case variable, raw, section, inverted, closing, comment, partial, delimiters

        /// Whether a tag of this kind alone on its line takes the line with it.
        var canStandAlone: Bool { self != .variable && self != .raw }
    }

    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")
    private static let newline = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")

    /// Parses `source`.
    /// - Throws: ``MustacheError`` `syntax` with the origin and line: an unclosed tag or section, a
    ///   closing tag that does not match, a malformed delimiter change.
    static func parse(_ source: [UInt8], origin: String) throws(MustacheError) -> [MustacheNode] {
        var parser = MustacheParser(source: source, origin: origin)
        return try parser.parseAll()
    }

    private init(source: [UInt8], origin: String) {
        self.source = source
        self.origin = origin
    }

    private mutating func parseAll() throws(MustacheError) -> [MustacheNode] {
        var sections: [OpenSection] = [OpenSection(name: "", inverted: false, line: 0)]
        var text: [UInt8] = []
        func flush(_ text: inout [UInt8], into sections: inout [OpenSection]) {
            if !text.isEmpty { sections[sections.count - 1].children.append(.text(text)) }
            text.removeAll(keepingCapacity: true)
        }
        while position < source.count {
            guard matches(open, at: position) else {
                text.append(source[position])
                position += 1
                continue
            }
            let tagStart = position
            let line = lineNumber(at: tagStart)
            var contentStart = tagStart + open.count
            let kind = tagKind(at: contentStart)
            if kind != .variable { contentStart += 1 }
            let terminator: [UInt8] = switch kind {
            case .raw where source[tagStart + open.count] == UInt8(ascii: "{"): [UInt8(ascii: "}")] + close
            case .delimiters: [UInt8(ascii: "=")] + close
            default: close
            }
            guard let contentEnd = find(terminator, from: contentStart) else {
                throw MustacheError(
                    kind: .syntax,
                    message: "\(origin) line \(line): tag opened with \(Self.show(open)) is never closed with \(Self.show(terminator))")
            }
            let content = Array(source[contentStart..<contentEnd])
            let tagEnd = contentEnd + terminator.count
            var indentation: [UInt8] = []
            position = tagEnd
            if kind.canStandAlone, let (lineStart, lineEnd) = standaloneLine(tagStart: tagStart, tagEnd: tagEnd) {
                indentation = Array(source[lineStart..<tagStart])
                text.removeLast(tagStart - lineStart)
                position = lineEnd
            }
            let name = Self.trimmed(content)
            switch kind {
            case .comment:
                continue
            case .delimiters:
                try setDelimiters(content, line: line)
                continue
            case .variable, .raw:
                flush(&text, into: &sections)
                guard !name.isEmpty else {
                    throw MustacheError(kind: .syntax, message: "\(origin) line \(line): empty tag \(Self.show(Array(source[tagStart..<tagEnd])))")
                }
                sections[sections.count - 1].children.append(.variable(name: name, escaped: kind == .variable, line: line))
            case .partial:
                flush(&text, into: &sections)
                sections[sections.count - 1].children.append(.partial(name: name, indentation: indentation, line: line))
            case .section, .inverted:
                flush(&text, into: &sections)
                sections.append(OpenSection(name: name, inverted: kind == .inverted, line: line))
            case .closing:
                flush(&text, into: &sections)
                guard sections.count > 1 else {
                    throw MustacheError(kind: .syntax, message: "\(origin) line \(line): {{/\(name)}} closes a section that was never opened")
                }
                let section = sections.removeLast()
                guard section.name == name else {
                    throw MustacheError(
                        kind: .syntax,
                        message: "\(origin) line \(line): {{/\(name)}} does not close the section \"\(section.name)\" opened at line \(section.line)")
                }
                sections[sections.count - 1].children.append(
                    .section(name: section.name, inverted: section.inverted, children: section.children, line: section.line))
            }
        }
        flush(&text, into: &sections)
        if sections.count > 1, let unclosed = sections.last {
            throw MustacheError(kind: .syntax, message: "\(origin) line \(unclosed.line): section \"\(unclosed.name)\" is never closed")
        }
        return sections[0].children
    }

    private func tagKind(at index: Int) -> TagKind {
        guard index < source.count else { return .variable }
        switch source[index] {
        case UInt8(ascii: "{"), UInt8(ascii: "&"): return .raw
        case UInt8(ascii: "#"): return .section
        case UInt8(ascii: "^"): return .inverted
        case UInt8(ascii: "/"): return .closing
        case UInt8(ascii: "!"): return .comment
        case UInt8(ascii: ">"): return .partial
        case UInt8(ascii: "="): return .delimiters
        default: return .variable
        }
    }

    /// The line around a tag — from its start to just past its newline — when nothing but spaces and
    /// tabs share it with the tag.
    private func standaloneLine(tagStart: Int, tagEnd: Int) -> (Int, Int)? {
        var lineStart = tagStart
        while lineStart > 0 && source[lineStart - 1] != Self.newline {
            lineStart -= 1
            guard source[lineStart] == Self.space || source[lineStart] == Self.tab else { return nil }
        }
        var lineEnd = tagEnd
        while lineEnd < source.count && (source[lineEnd] == Self.space || source[lineEnd] == Self.tab) { lineEnd += 1 }
        if lineEnd == source.count { return (lineStart, lineEnd) }
        if source[lineEnd] == Self.newline { return (lineStart, lineEnd + 1) }
        if source[lineEnd] == Self.carriageReturn && lineEnd + 1 < source.count && source[lineEnd + 1] == Self.newline {
            return (lineStart, lineEnd + 2)
        }
        return nil
    }

    /// `{{=<% %>=}}`: two new delimiters, separated by whitespace, without whitespace or `=` in them.
    private mutating func setDelimiters(_ content: [UInt8], line: Int) throws(MustacheError) {
        let parts = content.split(whereSeparator: { $0 == Self.space || $0 == Self.tab || $0 == Self.newline || $0 == Self.carriageReturn })
        guard parts.count == 2, !parts.contains(where: { $0.contains(UInt8(ascii: "=")) }) else {
            throw MustacheError(
                kind: .syntax,
                message: "\(origin) line \(line): a delimiter change must hold two delimiters without spaces or \"=\", "
                    + "as in {{=<% %>=}}; got \(Self.show(content))")
        }
        open = Array(parts[0])
        close = Array(parts[1])
    }

    private func matches(_ pattern: [UInt8], at index: Int) -> Bool {
        guard index + pattern.count <= source.count else { return false }
        for offset in pattern.indices where source[index + offset] != pattern[offset] { return false }
        return true
    }

    private func find(_ pattern: [UInt8], from index: Int) -> Int? {
        var candidate = index
        while candidate + pattern.count <= source.count {
            if matches(pattern, at: candidate) { return candidate }
            candidate += 1
        }
        return nil
    }

    private mutating func lineNumber(at index: Int) -> Int {
        while linesCountedUpTo < index {
            if source[linesCountedUpTo] == Self.newline { linesCounted += 1 }
            linesCountedUpTo += 1
        }
        return linesCounted
    }

    private static func trimmed(_ bytes: [UInt8]) -> String {
        let isBlank: (UInt8) -> Bool = { $0 == space || $0 == tab || $0 == newline || $0 == carriageReturn }
        guard let first = bytes.firstIndex(where: { !isBlank($0) }), let last = bytes.lastIndex(where: { !isBlank($0) }) else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }

    private static func show(_ bytes: [UInt8]) -> String {
        "\"" + String(decoding: bytes, as: UTF8.self) + "\""
    }
}
