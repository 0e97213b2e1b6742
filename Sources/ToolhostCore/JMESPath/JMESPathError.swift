/// Why a JMESPath expression could not be compiled or evaluated.
///
/// The ``Kind`` names are the error names of the JMESPath specification and its compliance suite
/// (`syntax`, `invalid-type`, …), so callers can report them as the specification does.
public struct JMESPathError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure, by its name in the JMESPath specification.
    public enum Kind: String, Sendable, Hashable, Codable, CustomStringConvertible {
        /// The expression is not valid JMESPath.
        case syntax
        /// A function was given an argument of the wrong type (or an expression reference where a
        /// value belongs).
        case invalidType = "invalid-type"
        /// A function was given too few or too many arguments.
        case invalidArity = "invalid-arity"
        /// The expression calls a function JMESPath does not define.
        case unknownFunction = "unknown-function"
        /// A value is out of its domain, such as a slice step of 0.
        case invalidValue = "invalid-value"
        /// The evaluation did more work than ``JMESPathLimits`` allow (not a specification error:
        /// it guards a host against expressions that multiply their input).
        case limitExceeded = "limit-exceeded"

        public var description: String { rawValue }
    }

    public var kind: Kind
    /// What was wrong, e.g. "expected ']' but found 'foo'".
    public var message: String
    /// The 1-based column in the expression, counted in Unicode scalars, where the problem is;
    /// set for syntax errors and for errors found while compiling (unknown functions, wrong arity).
    public var column: Int?

    /// Creates an error of a kind, optionally at a column of the expression.
    public init(_ kind: Kind, _ message: String, column: Int? = nil) {
        self.kind = kind
        self.message = message
        self.column = column
    }

    /// "syntax error at column 5: expected ']' but found end of expression", or
    /// "invalid-type: sort() argument 1 must be …".
    public var description: String {
        switch (kind, column) {
        case (.syntax, let column?): "syntax error at column \(column): \(message)"
        case (.syntax, nil): "syntax error: \(message)"
        case (_, let column?): "\(kind) at column \(column): \(message)"
        case (_, nil): "\(kind): \(message)"
        }
    }
}
