extension ToolExample {
    /// Whether `actual` is what this example expects: equal for `exact` (the default), and for
    /// `subset` every key of the expected object present with a matching value, recursively
    /// (arrays and other values compared whole).
    public func isSatisfied(by actual: JSONValue) -> Bool {
        (match ?? .exact) == .exact ? actual == output : Self.isSubset(output, of: actual)
    }

    /// `subset(e, a)` of Tools/README.md: objects recursively by key, everything else exactly.
    public static func isSubset(_ expected: JSONValue, of actual: JSONValue) -> Bool {
        guard case .object(let expectedObject) = expected, case .object(let actualObject) = actual else { return expected == actual }
        return expectedObject.allSatisfy { key, value in actualObject[key].map { isSubset(value, of: $0) } ?? false }
    }
}
