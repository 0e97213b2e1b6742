internal import _FoundationICU

extension RegexEngine {
    /// A compile error as the caller's failure: the field, ICU's reason in words, and where.
    static func compileFailure(_ status: UErrorCode, _ parseError: UParseError, field: String) -> ToolFailure {
        let name = String(cString: swift_u_errorName(status))
        var message = "\(field): invalid regular expression: \(reason(for: status) ?? name)"
        if parseError.line > 0 || parseError.offset > 0 {
            // ICU counts lines from 1 and positions within the line in code points.
            message += parseError.line > 1
                ? " (line \(parseError.line), position \(parseError.offset))"
                : " (at position \(parseError.offset))"
        }
        return ToolFailure(.invalidArgument, message + " [\(name)]")
    }

    /// A failure while matching: the time limit's failure when a callback stopped the engine.
    func matchFailure(_ status: UErrorCode, limit: RegexTimeLimit) -> ToolFailure {
        switch status {
        case U_REGEX_STOPPED_BY_CALLER, U_REGEX_TIME_OUT:
            limit.failure
        case U_REGEX_STACK_OVERFLOW:
            ToolFailure(.tooLarge, "the regular expression needs more backtracking memory than its limit of \(Self.backtrackingStackBytes >> 20) MB; "
                + "simplify the pattern (possessive `*+` or atomic `(?>…)` groups avoid backtracking)")
        default:
            ToolFailure(.internalError, "the regular expression engine failed: \(String(cString: swift_u_errorName(status)))")
        }
    }

    private static func reason(for status: UErrorCode) -> String? {
        switch status {
        case U_REGEX_RULE_SYNTAX: "syntax error"
        case U_REGEX_BAD_ESCAPE_SEQUENCE: "unrecognised backslash escape"
        case U_REGEX_PROPERTY_SYNTAX: "invalid Unicode property \\p{…}"
        case U_REGEX_UNIMPLEMENTED: "uses a feature that is not supported"
        case U_REGEX_MISMATCHED_PAREN: "unbalanced parentheses"
        case U_REGEX_NUMBER_TOO_BIG: "number too big in a {n,m} quantifier"
        case U_REGEX_BAD_INTERVAL: "invalid {n,m} quantifier"
        case U_REGEX_MAX_LT_MIN: "in {n,m} the maximum is less than the minimum"
        case U_REGEX_INVALID_BACK_REF: "back-reference to a group that does not exist"
        case U_REGEX_INVALID_FLAG: "invalid inline flag"
        case U_REGEX_LOOK_BEHIND_LIMIT: "lookbehind must have a bounded length"
        case U_REGEX_SET_CONTAINS_STRING: "a character class cannot contain a multi-character string"
        case U_REGEX_MISSING_CLOSE_BRACKET: "missing ] in a character class"
        case U_REGEX_INVALID_RANGE: "invalid range in a character class (the end is before the start)"
        case U_REGEX_PATTERN_TOO_BIG: "the pattern is too big"
        case U_REGEX_INVALID_CAPTURE_GROUP_NAME: "invalid or repeated group name"
        case U_ILLEGAL_ARGUMENT_ERROR: "the pattern is empty or malformed"
        default: nil
        }
    }
}
