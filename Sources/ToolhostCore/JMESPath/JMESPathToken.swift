/// One lexical token of a JMESPath expression, with its place in the source (in Unicode scalars).
struct JMESPathToken: Sendable {
    enum Kind: Sendable, Equatable {
        case dot, star, comma, colon, pipe, or, and, not, current, expressionReference
        case leftBrace, rightBrace, leftBracket, rightBracket, leftParenthesis, rightParenthesis
        /// `[]`, lexed as one token as the reference implementation does, so `[ ]` is not a flatten.
        case flatten
        /// `[?`, lexed as one token, so `[ ?` is an error.
        case filter
        case comparator(JMESPathComparator)
        case number(Int)
        case identifier(String)
        case quotedIdentifier(String)
        /// A backtick JSON literal or a single-quoted raw string.
        case literal(JSONValue)
        case end
    }

    var kind: Kind
    /// Offset of the first scalar of the token.
    var start: Int
    /// Offset just past the last scalar of the token.
    var end: Int

    /// The Pratt binding power of the token when it follows an expression: how tightly it holds
    /// on to the expression on its left. The values are those of the reference implementation.
    var bindingPower: Int {
        switch kind {
        case .pipe: 1
        case .or: 2
        case .and: 3
        case .comparator: 5
        case .flatten: 9
        case .star: 20
        case .filter: 21
        case .dot: 40
        case .not: 45
        case .leftBrace: 50
        case .leftBracket: 55
        case .leftParenthesis: 60
        default: 0
        }
    }
}

/// The comparison operators; ordering applies to numbers only, equality to any values.
enum JMESPathComparator: String, Sendable, Equatable {
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
}
