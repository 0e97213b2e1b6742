extension JMESPathParser {
    /// The right-hand side of a projection: what is applied to each projected element. Tokens of
    /// low binding power (pipes, operators, `[]`, the end) leave it as the element itself.
    mutating func projectionRight(_ bindingPower: Int) throws(JMESPathError) -> JMESPathNode {
        if current.bindingPower < 10 { return .current }
        switch current.kind {
        case .leftBracket, .filter:
            return try expression(bindingPower)
        case .dot:
            advance()
            return try dotRight(bindingPower)
        default:
            throw unexpected(current, expecting: "'.', '[' or '[?' after a projection")
        }
    }

    /// What may follow a `.`: an identifier, `*`, a function call, or a multiselect list or hash.
    mutating func dotRight(_ bindingPower: Int) throws(JMESPathError) -> JMESPathNode {
        switch current.kind {
        case .identifier, .quotedIdentifier, .star:
            return try expression(bindingPower)
        case .leftBracket:
            advance()
            return try multiSelectList()
        case .leftBrace:
            advance()
            return try multiSelectHash()
        default:
            throw unexpected(current, expecting: "an identifier, '*', '[' or '{' after '.'")
        }
    }

    /// `[?condition]` after `left` (the `[?` already consumed), and the projection that follows.
    mutating func filter(after left: JMESPathNode) throws(JMESPathError) -> JMESPathNode {
        let condition = try expression(0)
        try expect(.rightBracket, "']' to close the filter")
        return .filterProjection(left: left, condition: condition, right: try projectionRight(21))
    }

    /// `[n]` or `[start:stop:step]` after `left` (the `[` already consumed). A slice projects.
    mutating func indexOrSlice(after left: JMESPathNode) throws(JMESPathError) -> JMESPathNode {
        if case .number(let index) = current.kind, peek(1).kind != .colon {
            advance()
            try expect(.rightBracket, "']' after the index")
            return Self.chain(left, .index(index))
        }
        var parts: [Int?] = [nil, nil, nil]
        var part = 0
        var stepToken: JMESPathToken?
        while current.kind != .rightBracket {
            switch current.kind {
            case .colon where part < 2:
                part += 1
            case .number(let value) where parts[part] == nil:
                parts[part] = value
                if part == 2 { stepToken = current }
            default:
                throw unexpected(current, expecting: part < 2 ? "a number, ':' or ']' in the slice" : "a number or ']' in the slice")
            }
            advance()
        }
        advance()
        if parts[2] == 0, let stepToken {
            throw JMESPathError(.invalidValue, "the step of a slice cannot be 0", column: stepToken.start + 1)
        }
        let slice = JMESPathNode.slice(start: parts[0], stop: parts[1], step: parts[2])
        return .listProjection(left: Self.chain(left, slice), right: try projectionRight(20))
    }

    /// `[a, b, …]` (the `[` already consumed).
    mutating func multiSelectList() throws(JMESPathError) -> JMESPathNode {
        var elements: [JMESPathNode] = []
        while true {
            elements.append(try expression(0))
            if current.kind == .rightBracket { break }
            try expect(.comma, "',' or ']' in the multiselect list")
        }
        advance()
        return .multiSelectList(elements)
    }

    /// `{key: a, "other key": b, …}` (the `{` already consumed).
    mutating func multiSelectHash() throws(JMESPathError) -> JMESPathNode {
        var pairs: [(key: String, value: JMESPathNode)] = []
        while true {
            let key: String
            switch current.kind {
            case .identifier(let name), .quotedIdentifier(let name): key = name
            default: throw unexpected(current, expecting: "a key (an identifier) in the multiselect hash")
            }
            advance()
            try expect(.colon, "':' after the key \"\(key)\"")
            pairs.append((key, try expression(0)))
            if current.kind == .rightBrace {
                advance()
                return .multiSelectHash(pairs)
            }
            try expect(.comma, "',' or '}' in the multiselect hash")
        }
    }

    /// `name(arguments)` (the `(` already consumed): the name must be an unquoted identifier
    /// right before the parenthesis, and the function must exist and accept that many arguments.
    mutating func functionCall(named left: JMESPathNode, parenthesis: JMESPathToken) throws(JMESPathError) -> JMESPathNode {
        let nameToken = tokens[position - 2]
        guard case .field(let name) = left, case .identifier(name) = nameToken.kind else {
            throw JMESPathError(.syntax, "only a function name can be called with '('", column: parenthesis.start + 1)
        }
        var arguments: [JMESPathNode] = []
        if current.kind != .rightParenthesis {
            while true {
                arguments.append(try expression(0))
                if current.kind == .rightParenthesis { break }
                try expect(.comma, "',' or ')' in the arguments of \(name)()")
            }
        }
        advance()
        guard let function = JMESPathFunction(rawValue: name) else {
            throw JMESPathError(.unknownFunction, "unknown function \(name)()", column: nameToken.start + 1)
        }
        try function.signature.checkArity(arguments.count, of: function, column: nameToken.start + 1)
        return .function(function, arguments)
    }
}
