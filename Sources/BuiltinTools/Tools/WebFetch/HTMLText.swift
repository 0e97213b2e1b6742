/// web_fetch's HTML-to-text conversion, by the fixed rules of its output schema: the contents of
/// head, script, style, noscript, template, svg and iframe are dropped; character references are
/// decoded; block elements start a new line; other tags are removed without a break; within a
/// line runs of whitespace become one space; lines are trimmed, empty lines dropped, and lines
/// joined with `\n`.
///
/// A small tokenizer, not a tree builder: it follows the HTML parser where the rules depend on it
/// (raw-text elements, comments, character references, a head closed by body content) and
/// nowhere else.
struct HTMLText {
    /// The first `<title>`'s text outside svg, references decoded, whitespace collapsed and trimmed.
    private(set) var title: String?
    private(set) var text = ""

    static let blockElements: Set<String> = [
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "table", "tr", "br", "hr",
        "pre", "blockquote", "section", "article", "header", "footer", "nav", "aside", "main", "figure", "figcaption",
        "form", "address",
    ]
    /// Dropped with their contents, which the parser reads as raw text up to the end tag.
    static let droppedRawText: Set<String> = ["script", "style", "noscript", "iframe", "noembed", "noframes"]
    /// Dropped with their contents, which are markup (nesting is tracked).
    static let droppedContainers: Set<String> = ["head", "template", "svg"]
    /// What may stand in a head; anything else there ends the head, as in the HTML parser.
    static let headContent: Set<String> = ["title", "meta", "link", "style", "script", "noscript", "base", "template", "basefont", "bgsound"]

    private let scalars: [Unicode.Scalar]
    private var position = 0
    private var lines: [String.UnicodeScalarView] = []
    private var line = String.UnicodeScalarView()
    /// The dropped containers open at this point, innermost last.
    private var dropped: [String] = []

    /// Converts `html` to text and finds its title.
    init(html: String) {
        scalars = Array(html.unicodeScalars)
        run()
        lines.append(line)
        text = lines.map { HTMLText.collapsingWhitespace(String($0)) }.filter { !$0.isEmpty }.joined(separator: "\n")
    }

    private mutating func run() {
        while position < scalars.count {
            let scalar = scalars[position]
            if scalar == "<" {
                readMarkup()
            } else if scalar == "&" {
                let (decoded, next) = HTMLText.decodeReference(in: scalars, at: position)
                if dropped.isEmpty { line.append(contentsOf: decoded.unicodeScalars) }
                position = next
            } else {
                if dropped.isEmpty { line.append(scalar) }
                position += 1
            }
        }
    }

    /// At a `<`: a comment, a declaration, an end tag, a start tag, or a literal `<`.
    private mutating func readMarkup() {
        let next = position + 1 < scalars.count ? scalars[position + 1] : " "
        if starts(with: "<!--") {
            // `<!-->` and `<!--->` are complete (empty) comments for the HTML parser.
            let end = find("-->", from: position + 2) ?? scalars.count
            position = min(scalars.count, end + 3)
        } else if next == "!" || next == "?" {
            position = (find(">", from: position) ?? scalars.count - 1) + 1
        } else if next == "/" && position + 2 < scalars.count && HTMLText.isASCIILetter(scalars[position + 2]) {
            position += 2
            let name = readName()
            position = (find(">", from: position) ?? scalars.count - 1) + 1
            endTag(name)
        } else if HTMLText.isASCIILetter(next) {
            position += 1
            let name = readName()
            let selfClosing = skipAttributes()
            startTag(name, selfClosing: selfClosing)
        } else {
            if dropped.isEmpty { line.append("<") }
            position += 1
        }
    }

    private mutating func startTag(_ name: String, selfClosing: Bool) {
        if dropped.last == "head" && (name == "body" || !HTMLText.headContent.contains(name)) {
            dropped.removeLast()
        }
        if HTMLText.droppedRawText.contains(name) {
            _ = readRawText(until: name)
        } else if name == "title" || name == "textarea" {
            let content = HTMLText.decodeReferences(readRawText(until: name))
            if name == "title" {
                if title == nil && !dropped.contains("svg") { title = HTMLText.collapsingWhitespace(content) }
            } else if dropped.isEmpty {
                line.append(contentsOf: content.unicodeScalars)
            }
        } else if HTMLText.droppedContainers.contains(name) {
            // Only foreign elements (svg) honour `/>`; `<head/>` opens a head.
            if !(selfClosing && name == "svg") { dropped.append(name) }
        } else if HTMLText.blockElements.contains(name) && dropped.isEmpty {
            breakLine()
        }
    }

    private mutating func endTag(_ name: String) {
        if let index = dropped.lastIndex(of: name) {
            dropped.removeSubrange(index...)
        } else if HTMLText.blockElements.contains(name) && dropped.isEmpty {
            breakLine()
        }
    }

    private mutating func breakLine() {
        lines.append(line)
        line = String.UnicodeScalarView()
    }

    /// A tag name, lower case; stops at whitespace, `/` or `>`.
    private mutating func readName() -> String {
        var name = String.UnicodeScalarView()
        while position < scalars.count {
            let scalar = scalars[position]
            if scalar == ">" || scalar == "/" || scalar.properties.isWhitespace { break }
            name.append(contentsOf: String(scalar).lowercased().unicodeScalars)
            position += 1
        }
        return String(name)
    }

    /// Skips to after the tag's `>`, stepping over quoted attribute values (which may hold `>`).
    /// Returns whether the tag ended in `/>`.
    private mutating func skipAttributes() -> Bool {
        var previous: Unicode.Scalar = " "
        var afterEquals = false
        while position < scalars.count {
            let scalar = scalars[position]
            position += 1
            if scalar == ">" { return previous == "/" }
            if afterEquals && (scalar == "\"" || scalar == "'") {
                position = (find(String(scalar), from: position) ?? scalars.count - 1) + 1
                afterEquals = false
                previous = scalar
                continue
            }
            if scalar == "=" {
                afterEquals = true
            } else if !scalar.properties.isWhitespace {
                afterEquals = false
            }
            previous = scalar
        }
        return false
    }

    /// The text up to the end tag `</name` (case-insensitive), and moves past that end tag.
    private mutating func readRawText(until name: String) -> String {
        let start = position
        var search = position
        while let candidate = find("</", from: search) {
            let nameEnd = candidate + 2 + name.unicodeScalars.count
            if nameEnd <= scalars.count,
               String(String.UnicodeScalarView(scalars[(candidate + 2)..<nameEnd])).lowercased() == name,
               nameEnd == scalars.count || [">", "/"].contains(scalars[nameEnd]) || scalars[nameEnd].properties.isWhitespace {
                position = (find(">", from: nameEnd) ?? scalars.count - 1) + 1
                return String(String.UnicodeScalarView(scalars[start..<candidate]))
            }
            search = candidate + 2
        }
        position = scalars.count
        return String(String.UnicodeScalarView(scalars[start...]))
    }

    private func starts(with text: String) -> Bool {
        let pattern = Array(text.unicodeScalars)
        return position + pattern.count <= scalars.count && Array(scalars[position..<(position + pattern.count)]) == pattern
    }

    private func find(_ text: String, from start: Int) -> Int? {
        let pattern = Array(text.unicodeScalars)
        guard !pattern.isEmpty, start + pattern.count <= scalars.count else { return nil }
        var index = start
        while index + pattern.count <= scalars.count {
            if scalars[index] == pattern[0] && Array(scalars[index..<(index + pattern.count)]) == pattern { return index }
            index += 1
        }
        return nil
    }

    static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }

    /// Runs of whitespace as one space, trimmed at both ends.
    static func collapsingWhitespace(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace { result.append(" ") }
                pendingSpace = false
                result.append(scalar)
            }
        }
        return String(result)
    }
}
