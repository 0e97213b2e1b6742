/// A parsed replacement template of the regex tool: `$0`, `$1`…`$99`, `${1}`, `${name}`, `$$`;
/// everything else is literal (backslashes included).
struct RegexReplacement {
    enum Piece: Equatable {
        case literal([UInt16])
        case group(Int)
    }

    let pieces: [Piece]

    /// Parses `template` against the groups of `engine`.
    /// - Throws: ``ToolFailure`` `invalid_argument` naming `field` for a reference to a group the
    ///   pattern does not have, so that a typo does not silently insert nothing.
    init(_ template: String, engine: RegexEngine, field: String = "replacement") throws(ToolFailure) {
        let scalars = Array(template.unicodeScalars)
        var pieces: [Piece] = []
        var literal = ""
        func flushLiteral() {
            if !literal.isEmpty { pieces.append(.literal(Array(literal.utf16))) }
            literal = ""
        }
        func reference(_ number: Int, as written: String) throws(ToolFailure) -> Piece {
            guard number <= engine.groupCount else {
                throw ToolFailure(.invalidArgument, "\(field): \(written) refers to group \(number), "
                    + "but the pattern has \(engine.groupCount) groups; write $$ for a literal $")
            }
            return .group(number)
        }
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            guard scalar == "$", index + 1 < scalars.count else {
                literal.unicodeScalars.append(scalar)
                index += 1
                continue
            }
            let next = scalars[index + 1]
            if next == "$" {
                literal.append("$")
                index += 2
            } else if let first = next.isASCII ? Int(String(next)) : nil {
                // Two digits when they name an existing group ($10 with ten groups), else one ($1 then "0").
                if index + 2 < scalars.count, scalars[index + 2].isASCII, let second = Int(String(scalars[index + 2])),
                   first * 10 + second <= engine.groupCount, first > 0 {
                    flushLiteral()
                    pieces.append(.group(first * 10 + second))
                    index += 3
                } else {
                    let piece = try reference(first, as: "$\(first)")
                    flushLiteral()
                    pieces.append(piece)
                    index += 2
                }
            } else if next == "{", let close = scalars[(index + 2)...].firstIndex(of: "}"), close > index + 2 {
                let name = String(String.UnicodeScalarView(scalars[(index + 2)..<close]))
                let piece: Piece
                if name.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(name) {
                    piece = try reference(number, as: "${\(name)}")
                } else if let number = engine.groupNumber(named: name) {
                    piece = .group(number)
                } else if name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
                    throw ToolFailure(.invalidArgument, "\(field): ${\(name)} names no group of the pattern; write $$ for a literal $")
                } else {
                    literal.unicodeScalars.append(scalar)
                    index += 1
                    continue
                }
                flushLiteral()
                pieces.append(piece)
                index = close + 1
            } else {
                literal.append("$")
                index += 1
            }
        }
        flushLiteral()
        self.pieces = pieces
    }

    /// Appends the expansion for `match` (UTF-16 ranges into `text`) to `output`.
    func expand(_ match: RegexEngine.Match, in text: RegexText, into output: inout [UInt16]) {
        for piece in pieces {
            switch piece {
            case .literal(let units):
                output.append(contentsOf: units)
            case .group(let number):
                if let range = match[number] { output.append(contentsOf: text.units[range]) }
            }
        }
    }
}
