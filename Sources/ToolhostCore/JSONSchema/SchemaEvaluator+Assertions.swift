extension SchemaEvaluator {
    /// Keywords that check the instance itself: type, enum, const, numbers and strings.
    mutating func evaluateAssertion(_ keyword: CompiledKeyword, _ node: SchemaNode, _ instance: JSONValue) -> Bool {
        switch keyword {
        case .type(let types):
            if types.admits(instance) { return true }
            report(node, "type", "expected \(types.readable), got \(instance.typeName)")
            return false
        case .enumeration(let options):
            if options.contains(instance) { return true }
            report(node, "enum", "\(Self.brief(instance)) is not one of the allowed values: \(Self.brief(options))")
            return false
        case .const(let expected):
            if instance == expected { return true }
            report(node, "const", "\(Self.brief(instance)) is not the required value \(Self.brief(expected))")
            return false
        case .multipleOf(let divisor):
            if !instance.isNumber || NumberComparison.isMultiple(instance, of: divisor) { return true }
            report(node, "multipleOf", "\(Self.brief(instance)) is not a multiple of \(divisor)")
            return false
        case .bound(let kind, let limit):
            guard let order = NumberComparison.compare(instance, limit) else { return true }
            switch kind {
            case .minimum where order >= 0, .exclusiveMinimum where order > 0, .maximum where order <= 0, .exclusiveMaximum where order < 0:
                return true
            case .minimum: report(node, "minimum", "\(Self.brief(instance)) is less than the minimum of \(limit)")
            case .exclusiveMinimum: report(node, "exclusiveMinimum", "\(Self.brief(instance)) must be greater than \(limit)")
            case .maximum: report(node, "maximum", "\(Self.brief(instance)) is greater than the maximum of \(limit)")
            case .exclusiveMaximum: report(node, "exclusiveMaximum", "\(Self.brief(instance)) must be less than \(limit)")
            }
            return false
        case .minLength(let minimum):
            guard case .string(let string) = instance else { return true }
            // Length counts code points; the UTF-8 byte count bounds it from above, which often settles the answer.
            if string.utf8.count >= minimum && string.unicodeScalars.count >= minimum { return true }
            report(node, "minLength", "string is shorter than \(minimum) character\(minimum == 1 ? "" : "s")")
            return false
        case .maxLength(let maximum):
            guard case .string(let string) = instance else { return true }
            if string.utf8.count <= maximum || string.unicodeScalars.count <= maximum { return true }
            report(node, "maxLength", "string is longer than \(maximum) character\(maximum == 1 ? "" : "s")")
            return false
        case .pattern(let regex):
            guard case .string(let string) = instance, !regex.matches(string) else { return true }
            report(node, "pattern", "string does not match pattern \(regex.source)")
            return false
        case .format(let format):
            guard case .string(let string) = instance, !format.isValid(string) else { return true }
            report(node, "format", "\(Self.brief(instance)) is not a valid \(format.rawValue)")
            return false
        default:
            return true
        }
    }

    /// A value shortened for messages, so a huge instance does not flood the error.
    static func brief(_ value: JSONValue) -> String {
        let text = value.serialized()
        guard text.unicodeScalars.count > 80 else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.prefix(77))) + "…"
    }

    static func brief(_ values: [JSONValue]) -> String {
        brief(.array(values))
    }
}

/// Exact comparisons between instance numbers and schema limits.
enum NumberComparison {
    /// -1, 0 or 1 as `value` is below, equal to or above `limit`; nil when `value` is not a number.
    static func compare(_ value: JSONValue, _ limit: SchemaNumber) -> Int? {
        switch (value, limit) {
        case (.int(let a), .int(let b)): return a < b ? -1 : (a > b ? 1 : 0)
        case (.int(let a), .double(let b)): return -compare(b, a)
        case (.double(let a), .int(let b)): return compare(a, b)
        case (.double(let a), .double(let b)): return a < b ? -1 : (a > b ? 1 : 0)
        default: return nil
        }
    }

    /// Compares a double with an integer without rounding the integer through Double.
    static func compare(_ double: Double, _ integer: Int) -> Int {
        if double < -9.223372036854775808e18 { return -1 }
        if double >= 9.223372036854775808e18 { return 1 }
        let whole = double.rounded(.down)
        let wholeInteger = Int(whole)
        if wholeInteger != integer { return wholeInteger < integer ? -1 : 1 }
        return double > whole ? 1 : 0
    }

    /// Whether `value` is an integer multiple of `divisor`.
    ///
    /// Integers use exact remainder. Otherwise the quotient is checked for integrality with a small
    /// relative tolerance (never an absolute one, which would call 1e-10 a multiple of 1), because binary fractions make e.g. 0.0075 / 0.0001 come out as 74.99999999999999.
    /// When the quotient overflows (1e308 / 0.123456789) the exact floating remainder decides instead.
    static func isMultiple(_ value: JSONValue, of divisor: SchemaNumber) -> Bool {
        if case .int(let dividend) = value, case .int(let integerDivisor) = divisor {
            return dividend % integerDivisor == 0
        }
        guard let dividend = value.doubleValue else { return true }
        let divisorValue = divisor.doubleValue
        let quotient = dividend / divisorValue
        if !quotient.isFinite { return dividend.truncatingRemainder(dividingBy: divisorValue) == 0 }
        // Beyond 2^53 every double is an integer: the quotient carries no fraction to inspect.
        if quotient.magnitude >= 9_007_199_254_740_992 { return true }
        let distance = (quotient - quotient.rounded()).magnitude
        return distance <= quotient.magnitude * 1e-12
    }
}
