/// Expansion of `{a,b}` alternatives in a glob, nested ones included, before it is compiled.
enum GlobBraces {
    /// Every glob that `scalars` stands for: `src/{a,b/c}.py` gives `src/a.py` and `src/b/c.py`.
    /// - Throws: ``ToolFailure`` `invalid_argument` naming `field` for an unclosed `{` or more than
    ///   ``FileGlob/maximumAlternatives`` results.
    static func expand(_ scalars: [Unicode.Scalar], field: String) throws(ToolFailure) -> [[Unicode.Scalar]] {
        var results: [[Unicode.Scalar]] = []
        var pending: [[Unicode.Scalar]] = [scalars]
        while let glob = pending.popLast() {
            guard let open = firstBrace(in: glob) else {
                results.append(glob)
                continue
            }
            guard let (options, close) = alternatives(in: glob, openingAt: open) else {
                throw ToolFailure(.invalidArgument, "\(field): the alternatives \"{\" have no closing \"}\"")
            }
            for option in options.reversed() {
                pending.append(Array(glob[..<open]) + option + Array(glob[(close + 1)...]))
            }
            if results.count + pending.count > FileGlob.maximumAlternatives {
                throw ToolFailure(.invalidArgument,
                                  "\(field): the {…} alternatives expand to more than \(FileGlob.maximumAlternatives) globs")
            }
        }
        return results
    }

    /// The index of the first `{` that is not escaped and not inside a `[…]` class.
    private static func firstBrace(in scalars: [Unicode.Scalar]) -> Int? {
        var index = 0
        while index < scalars.count {
            switch scalars[index] {
            case "\\": index += 2
            case "[": index = GlobClass.parse(scalars, at: index)?.1 ?? index + 1
            case "{": return index
            default: index += 1
            }
        }
        return nil
    }

    /// The comma-separated options of the group opening at `open`, split at its top level, and
    /// the index of its closing `}`.
    private static func alternatives(in scalars: [Unicode.Scalar], openingAt open: Int) -> ([[Unicode.Scalar]], Int)? {
        var options: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        var depth = 0
        var index = open + 1
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case "\\" where index + 1 < scalars.count:
                current += [scalar, scalars[index + 1]]
                index += 2
                continue
            case "[":
                if let end = GlobClass.parse(scalars, at: index)?.1 {
                    current += scalars[index..<end]
                    index = end
                    continue
                }
                current.append(scalar)
            case "{":
                depth += 1
                current.append(scalar)
            case "}" where depth == 0:
                options.append(current)
                return (options, index)
            case "}":
                depth -= 1
                current.append(scalar)
            case "," where depth == 0:
                options.append(current)
                current = []
            default:
                current.append(scalar)
            }
            index += 1
        }
        return nil
    }
}
