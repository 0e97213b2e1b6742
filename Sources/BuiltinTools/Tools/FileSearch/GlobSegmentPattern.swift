/// One glob segment without `/`: `*` (any run of characters), `?` (one character), classes
/// `[abc]` `[a-z]` `[!abc]` (also `[^abc]`), `\x` for a literal `x`, and literal characters.
/// Matching is on Unicode code points and case-sensitive.
struct GlobSegmentPattern: Equatable {
    enum Token: Equatable {
        case literal(Unicode.Scalar)
        case anyRun
        case anyOne
        case set(GlobClass)
    }

    let tokens: [Token]

    /// Parses a segment.
    /// - Throws: ``ToolFailure`` `invalid_argument` naming `field` for an unclosed `[`.
    init(_ scalars: [Unicode.Scalar], field: String) throws(ToolFailure) {
        var tokens: [Token] = []
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case "*":
                if tokens.last != .anyRun { tokens.append(.anyRun) }
                index += 1
            case "?":
                tokens.append(.anyOne)
                index += 1
            case "[":
                guard let (set, end) = GlobClass.parse(scalars, at: index) else {
                    throw ToolFailure(.invalidArgument, "\(field): the character class \"[\" has no closing \"]\"")
                }
                tokens.append(.set(set))
                index = end
            case "\\" where index + 1 < scalars.count:
                tokens.append(.literal(scalars[index + 1]))
                index += 2
            default:
                tokens.append(.literal(scalar))
                index += 1
            }
        }
        self.tokens = tokens
    }

    /// Whether the whole of `name` matches; `*` backtracks only to the most recent star, which
    /// is enough for globs and keeps matching linear in practice.
    func matches(_ name: [Unicode.Scalar]) -> Bool {
        var token = 0
        var position = 0
        var starToken: Int?
        var starPosition = 0
        while position < name.count {
            if token < tokens.count {
                switch tokens[token] {
                case .anyRun:
                    starToken = token
                    starPosition = position
                    token += 1
                    continue
                case .anyOne:
                    token += 1
                    position += 1
                    continue
                case .literal(let scalar) where scalar == name[position]:
                    token += 1
                    position += 1
                    continue
                case .set(let set) where set.contains(name[position]):
                    token += 1
                    position += 1
                    continue
                default:
                    break
                }
            }
            guard let star = starToken else { return false }
            token = star + 1
            starPosition += 1
            position = starPosition
        }
        while token < tokens.count, tokens[token] == .anyRun { token += 1 }
        return token == tokens.count
    }
}

/// A glob character class such as `[a-z_]` or `[!0-9]`.
struct GlobClass: Equatable {
    var ranges: [ClosedRange<Unicode.Scalar>]
    var negated: Bool

    func contains(_ scalar: Unicode.Scalar) -> Bool {
        ranges.contains { $0.contains(scalar) } != negated
    }

    /// Parses the class starting at `scalars[start] == "["`; returns it and the index after its
    /// `]`, or nil when it is not closed. A `]` right after `[` or `[!` is a member.
    static func parse(_ scalars: [Unicode.Scalar], at start: Int) -> (GlobClass, Int)? {
        var index = start + 1
        var negated = false
        if index < scalars.count, scalars[index] == "!" || scalars[index] == "^" {
            negated = true
            index += 1
        }
        var ranges: [ClosedRange<Unicode.Scalar>] = []
        var first = true
        while index < scalars.count {
            var scalar = scalars[index]
            if scalar == "]" && !first { return (GlobClass(ranges: ranges, negated: negated), index + 1) }
            first = false
            if scalar == "\\", index + 1 < scalars.count {
                index += 1
                scalar = scalars[index]
            }
            if index + 2 < scalars.count, scalars[index + 1] == "-", scalars[index + 2] != "]" {
                let upper = scalars[index + 2]
                if scalar <= upper { ranges.append(scalar...upper) }
                index += 3
            } else {
                ranges.append(scalar...scalar)
                index += 1
            }
        }
        return nil
    }
}
