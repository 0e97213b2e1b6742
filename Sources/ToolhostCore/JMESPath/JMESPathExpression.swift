/// A compiled JMESPath expression (https://jmespath.org/specification.html), to be searched over
/// any number of JSON values.
///
/// ```swift
/// let names = try JMESPathExpression("people[?age > `30`].name | sort(@)")
/// let result = try names.search(document)        // ["Ada", "Grace"]
/// ```
///
/// Compiling checks the whole expression: syntax, function names and the number of arguments of
/// each call. Searching can still fail when a function meets a value of the wrong type, or when the
/// evaluation exceeds its ``JMESPathLimits``.
///
/// Where the specification leaves an order open, this implementation is deterministic: an object's
/// keys, values and `*` projections follow the keys' Unicode code point order.
public struct JMESPathExpression: Sendable, CustomStringConvertible {
    /// The expression as written.
    public let text: String
    let root: JMESPathNode

    /// Compiles an expression.
    /// - Throws: ``JMESPathError`` of kind `syntax` (with the column), `unknown-function`,
    ///   `invalid-arity` or `invalid-value` (a slice step of 0).
    public init(_ text: String) throws(JMESPathError) {
        self.text = text
        self.root = try JMESPathParser.parse(text)
    }

    /// Evaluates the expression with `data` as the current node.
    ///
    /// An expression that selects nothing gives `null`, as the specification requires.
    /// - Throws: ``JMESPathError`` of kind `invalid-type` when a function gets an argument of the
    ///   wrong type, or `limit-exceeded` when the evaluation needs more than `limits` allow.
    public func search(_ data: JSONValue, limits: JMESPathLimits = JMESPathLimits()) throws(JMESPathError) -> JSONValue {
        var interpreter = JMESPathInterpreter(limits: limits)
        return try interpreter.evaluate(root, data)
    }

    public var description: String { text }
}

/// Bounds on one search, so that an expression cannot make a host do unbounded work.
///
/// An expression like `[@, @] | [@, @] | …` doubles its value at every step without copying it;
/// comparing or printing the result would take exponential time. Every evaluation step, and every
/// element an operation visits or builds (and every 16 bytes of string), counts against ``maximumSteps``.
public struct JMESPathLimits: Sendable, Hashable {
    /// The most work units one search may use. Each unit is at most one element or 16 bytes of
    /// string built, so the default of 10 million also bounds what a search allocates (about 160 MB).
    public var maximumSteps = 10_000_000

    /// The default limits.
    public init() {}
}
