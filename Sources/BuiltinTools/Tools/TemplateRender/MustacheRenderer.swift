import ToolhostCore

/// Renders parsed Mustache nodes against a stack of JSON contexts.
struct MustacheRenderer {
    /// Partial templates by name, parsed on first use (per indentation).
    private let partialSources: [String: [UInt8]]
    private var parsedPartials: [PartialKey: [MustacheNode]] = [:]
    private let strict: Bool
    private let outputLimit: Int
    private let deadline: ContinuousClock.Instant
    private var partialDepth = 0
    private var nesting = 0
    private var steps = 0
    private(set) var output: [UInt8] = []

    /// More nested partials than this means a partial includes itself without end.
    static let maximumPartialDepth = 100
    /// Sections and partials nest at most this deep, so that rendering, which recurses once per
    /// level, cannot exhaust the stack of the host's thread.
    static let maximumNesting = 1000

    private struct PartialKey: Hashable {
        var name: String
        var indentation: [UInt8]
    }

    /// Why rendering stopped early.
    enum Stop: Error {
        case template(MustacheError)
        case tooLarge(Int)
        case timeout
    }

    init(partials: [String: String], strict: Bool, outputLimit: Int, deadline: ContinuousClock.Instant) {
        partialSources = partials.mapValues { Array($0.utf8) }
        self.strict = strict
        self.outputLimit = outputLimit
        self.deadline = deadline
    }

    mutating func render(_ nodes: [MustacheNode], _ stack: inout [JSONValue]) throws(Stop) {
        nesting += 1
        defer { nesting -= 1 }
        guard nesting <= Self.maximumNesting + 1 else {
            throw .template(MustacheError(kind: .depth, message: "sections and partials nest more than \(Self.maximumNesting) deep"))
        }
        for node in nodes {
            steps += 1
            if steps % 4096 == 0 && ContinuousClock.now > deadline { throw .timeout }
            switch node {
            case .text(let bytes):
                try append(bytes)
            case .variable(let name, let escaped, let line):
                guard let value = try resolve(name, stack, line: line) else { continue }
                let text = MustacheValueText.text(of: value)
                if escaped {
                    var escapedText: [UInt8] = []
                    MustacheValueText.appendEscaped(text, to: &escapedText)
                    try append(escapedText)
                } else {
                    try append(Array(text.utf8))
                }
            case .section(let name, let inverted, let children, let line):
                let value = try resolve(name, stack, line: line)
                if inverted {
                    if !Self.isTruthy(value) { try render(children, &stack) }
                } else if case .array(let items)? = value {
                    for item in items {
                        stack.append(item)
                        try render(children, &stack)
                        stack.removeLast()
                    }
                } else if let value, Self.isTruthy(value) {
                    stack.append(value)
                    try render(children, &stack)
                    stack.removeLast()
                }
            case .partial(let name, let indentation, let line):
                try renderPartial(name, indentation: indentation, line: line, &stack)
            }
        }
    }

    private mutating func renderPartial(_ name: String, indentation: [UInt8], line: Int, _ stack: inout [JSONValue]) throws(Stop) {
        let key = PartialKey(name: name, indentation: indentation)
        let nodes: [MustacheNode]
        if let parsed = parsedPartials[key] {
            nodes = parsed
        } else {
            guard let source = partialSources[name] else {
                if strict { throw .template(MustacheError(kind: .missing, message: "partial \"\(name)\" (line \(line)) is not in `partials`")) }
                return
            }
            do {
                nodes = try MustacheParser.parse(Self.indent(source, with: indentation), origin: "partials.\(name)")
            } catch {
                throw .template(error)
            }
            parsedPartials[key] = nodes
        }
        partialDepth += 1
        defer { partialDepth -= 1 }
        guard partialDepth <= Self.maximumPartialDepth else {
            throw .template(MustacheError(
                kind: .depth,
                message: "partials nest more than \(Self.maximumPartialDepth) deep at partial \"\(name)\": does it include itself without end?"))
        }
        try render(nodes, &stack)
    }

    /// The value of a name: `.` is the current context; `a.b.c` finds `a` in the nearest context that
    /// has it, then `b` and `c` inside that value only. Nil when missing (an error when strict).
    private func resolve(_ name: String, _ stack: [JSONValue], line: Int) throws(Stop) -> JSONValue? {
        if name == "." { return stack.last }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        var found: JSONValue?
        for context in stack.reversed() {
            if case .object(let members) = context, let value = members[parts[0]] {
                found = value
                break
            }
        }
        var current = found
        for part in parts.dropFirst() {
            guard case .object(let members)? = current else {
                current = nil
                break
            }
            current = members[part]
        }
        if current == nil && strict {
            throw .template(MustacheError(kind: .missing, message: "\"\(name)\" (line \(line)) is missing from the data"))
        }
        return current
    }

    /// False, null, "", an empty list and a missing name are false; everything else is true.
    static func isTruthy(_ value: JSONValue?) -> Bool {
        switch value {
        case nil, .null?, .bool(false)?: return false
        case .string(let text)?: return !text.isEmpty
        case .array(let items)?: return !items.isEmpty
        default: return true
        }
    }

    /// Prefixes every non-empty line of a partial with the indentation of its standalone tag.
    static func indent(_ source: [UInt8], with indentation: [UInt8]) -> [UInt8] {
        guard !indentation.isEmpty else { return source }
        var result: [UInt8] = []
        result.reserveCapacity(source.count + indentation.count * 8)
        var atLineStart = true
        for byte in source {
            if atLineStart && byte != UInt8(ascii: "\n") { result.append(contentsOf: indentation) }
            result.append(byte)
            atLineStart = byte == UInt8(ascii: "\n")
        }
        return result
    }

    private mutating func append(_ bytes: [UInt8]) throws(Stop) {
        output.append(contentsOf: bytes)
        if output.count > outputLimit { throw .tooLarge(outputLimit) }
    }
}
