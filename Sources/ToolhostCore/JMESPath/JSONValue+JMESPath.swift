extension JSONValue {
    /// JMESPath truthiness: null, false, and empty strings, arrays and objects are false;
    /// everything else, every number included, is true.
    var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let value): value
        case .string(let value): !value.isEmpty
        case .array(let value): !value.isEmpty
        case .object(let value): !value.isEmpty
        case .int, .double: true
        }
    }

    /// -1, 0 or 1 as `left` is below, equal to or above `right`, when both are numbers; nil otherwise.
    static func numericOrder(_ left: JSONValue, _ right: JSONValue) -> Int? {
        switch (left, right) {
        case (.int(let a), .int(let b)):
            return a < b ? -1 : (a == b ? 0 : 1)
        case (.int(let a), .double(let b)):
            return -(compare(b, a))
        case (.double(let a), .int(let b)):
            return compare(a, b)
        case (.double(let a), .double(let b)):
            return a < b ? -1 : (a == b ? 0 : 1)
        default:
            return nil
        }
    }

    /// Compares exactly where `Double(integer)` would round (integers beyond 2^53).
    private static func compare(_ double: Double, _ integer: Int) -> Int {
        if let exact = Int(exactly: double) { return exact < integer ? -1 : (exact == integer ? 0 : 1) }
        let converted = Double(integer)
        return double < converted ? -1 : (double == converted ? 0 : 1)
    }

    /// -1, 0 or 1 for two strings in Unicode code point order (JMESPath's string order), which is
    /// the order of their UTF-8 bytes.
    static func stringOrder(_ left: String, _ right: String) -> Int {
        if left.utf8.elementsEqual(right.utf8) { return 0 }
        return left.utf8.lexicographicallyPrecedes(right.utf8) ? -1 : 1
    }

    /// The keys of an object in code point order.
    static func orderedKeys(of members: [String: JSONValue]) -> [String] {
        members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}
