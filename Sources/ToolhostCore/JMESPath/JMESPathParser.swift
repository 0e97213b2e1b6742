/// A Pratt (top-down operator precedence) parser for JMESPath, with the binding powers and the
/// projection rules of the reference implementation, so that it accepts exactly the expressions of
/// the compliance suite.
///
/// Prefix positions are handled by ``prefix(_:)`` ("nud"), infix ones by ``infix(_:after:)`` ("led").
struct JMESPathParser {
    /// Deeper expressions are refused so that neither parsing nor evaluation can exhaust a stack.
    static let maximumHeight = 256
    /// Tokens with a smaller binding power end the right-hand side of a projection.
    private static let projectionStop = 10

    let tokens: [JMESPathToken]
    private let scalars: [Unicode.Scalar]
    private(set) var position = 0
    private var depth = 0

    /// Compiles `text` into a tree.
    /// - Throws: ``JMESPathError`` `syntax`, `unknown-function`, `invalid-arity` or `invalid-value`.
    static func parse(_ text: String) throws(JMESPathError) -> JMESPathNode {
        let scalars = Array(text.unicodeScalars)
        var lexer = JMESPathLexer(scalars)
        var parser = JMESPathParser(tokens: try lexer.tokenize(), scalars: scalars)
        let root = try parser.expression(0)
        guard case .end = parser.current.kind else {
            throw parser.unexpected(parser.current, expecting: "the end of the expression or an operator")
        }
        guard root.height <= maximumHeight else {
            throw JMESPathError(.syntax, "the expression nests deeper than \(maximumHeight) levels", column: 1)
        }
        return root
    }

    private init(tokens: [JMESPathToken], scalars: [Unicode.Scalar]) {
        self.tokens = tokens
        self.scalars = scalars
    }

    // MARK: Token stream

    var current: JMESPathToken { tokens[position] }

    func peek(_ offset: Int) -> JMESPathToken {
        tokens[min(position + offset, tokens.count - 1)]
    }

    @discardableResult
    mutating func advance() -> JMESPathToken {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    /// Consumes the current token when it is of `kind`, else fails naming what was expected.
    mutating func expect(_ kind: JMESPathToken.Kind, _ description: String) throws(JMESPathError) {
        guard current.kind == kind else { throw unexpected(current, expecting: description) }
        advance()
    }

    func unexpected(_ token: JMESPathToken, expecting expected: String? = nil) -> JMESPathError {
        let found = describe(token)
        let message = expected.map { "expected \($0) but found \(found)" } ?? "unexpected \(found)"
        return JMESPathError(.syntax, message, column: token.start + 1)
    }

    func describe(_ token: JMESPathToken) -> String {
        if case .end = token.kind { return "the end of the expression" }
        return "'" + String(String.UnicodeScalarView(scalars[token.start..<token.end])) + "'"
    }

    // MARK: Pratt core

    /// Parses an expression whose operators bind more tightly than `bindingPower`.
    mutating func expression(_ bindingPower: Int) throws(JMESPathError) -> JMESPathNode {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumHeight else {
            throw JMESPathError(.syntax, "the expression nests deeper than \(Self.maximumHeight) levels", column: current.start + 1)
        }
        var left = try prefix(advance())
        while bindingPower < current.bindingPower {
            left = try infix(advance(), after: left)
        }
        return left
    }

    private mutating func prefix(_ token: JMESPathToken) throws(JMESPathError) -> JMESPathNode {
        switch token.kind {
        case .literal(let value):
            return .literal(value)
        case .identifier(let name):
            return .field(name)
        case .quotedIdentifier(let name):
            if current.kind == .leftParenthesis {
                throw JMESPathError(.syntax, "a quoted identifier cannot name a function", column: token.start + 1)
            }
            return .field(name)
        case .current:
            return .current
        case .star:
            return .objectProjection(left: .current, right: try projectionRight(token.bindingPower))
        case .filter:
            return try filter(after: .current)
        case .flatten:
            return .listProjection(left: .flatten(.current), right: try projectionRight(token.bindingPower))
        case .leftBrace:
            return try multiSelectHash()
        case .leftParenthesis:
            let inner = try expression(0)
            try expect(.rightParenthesis, "')'")
            return inner
        case .not:
            return .not(try expression(token.bindingPower))
        case .expressionReference:
            return .expressionReference(try expression(0))
        case .leftBracket:
            switch current.kind {
            case .number, .colon:
                return try indexOrSlice(after: .current)
            case .star where peek(1).kind == .rightBracket:
                advance()
                advance()
                return .listProjection(left: .current, right: try projectionRight(20))
            default:
                return try multiSelectList()
            }
        default:
            throw unexpected(token)
        }
    }

    private mutating func infix(_ token: JMESPathToken, after left: JMESPathNode) throws(JMESPathError) -> JMESPathNode {
        switch token.kind {
        case .dot:
            if current.kind == .star {
                advance()
                return .objectProjection(left: left, right: try projectionRight(token.bindingPower))
            }
            return Self.chain(left, try dotRight(token.bindingPower))
        case .pipe:
            return .pipe(left, try expression(token.bindingPower))
        case .or:
            return .or(left, try expression(token.bindingPower))
        case .and:
            return .and(left, try expression(token.bindingPower))
        case .comparator(let comparator):
            return .comparison(comparator, left, try expression(token.bindingPower))
        case .flatten:
            return .listProjection(left: .flatten(left), right: try projectionRight(token.bindingPower))
        case .filter:
            return try filter(after: left)
        case .leftBracket:
            switch current.kind {
            case .number, .colon:
                return try indexOrSlice(after: left)
            default:
                try expect(.star, "a number, ':' or '*' after '['")
                try expect(.rightBracket, "']'")
                return .listProjection(left: left, right: try projectionRight(20))
            }
        case .leftParenthesis:
            return try functionCall(named: left, parenthesis: token)
        default:
            throw unexpected(token)
        }
    }

    /// `a` then `b` applied in sequence, keeping chains flat so that long paths stay shallow.
    static func chain(_ left: JMESPathNode, _ right: JMESPathNode) -> JMESPathNode {
        switch left {
        case .current: right
        case .chain(let nodes): .chain(nodes + [right])
        default: .chain([left, right])
        }
    }
}
