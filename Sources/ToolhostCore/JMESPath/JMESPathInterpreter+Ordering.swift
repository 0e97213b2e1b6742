extension JMESPathInterpreter {
    /// The order of two values that are both numbers or both strings.
    static func order(_ left: JSONValue, _ right: JSONValue) -> Int {
        if case .string(let a) = left, case .string(let b) = right { return JSONValue.stringOrder(a, b) }
        return JSONValue.numericOrder(left, right) ?? 0
    }

    /// `max` and `min` over numbers or over strings (the signature has checked which); null when empty.
    /// Of equal extremes the first wins.
    mutating func extreme(of elements: [JSONValue], greatest: Bool) throws(JMESPathError) -> JSONValue {
        try charge(elements.count)
        guard var best = elements.first else { return .null }
        for element in elements.dropFirst() {
            let order = Self.order(element, best)
            if greatest ? order > 0 : order < 0 { best = element }
        }
        return best
    }

    /// `max_by` and `min_by`: the element whose key is greatest (least); null when empty.
    mutating func extreme(
        of elements: [JSONValue], by expression: JMESPathNode, greatest: Bool, function: JMESPathFunction
    ) throws(JMESPathError) -> JSONValue {
        let keys = try sortKeys(of: elements, by: expression, function: function)
        guard !elements.isEmpty else { return .null }
        var best = 0
        for index in keys.indices.dropFirst() {
            let order = Self.order(keys[index], keys[best])
            if greatest ? order > 0 : order < 0 { best = index }
        }
        return elements[best]
    }

    mutating func sort(_ elements: [JSONValue]) throws(JMESPathError) -> JSONValue {
        try charge(Self.sortingCost(elements.count))
        return .array(Self.stableOrder(elements).map { elements[$0] })
    }

    /// `sort_by`: a stable sort by the key `expression` gives for each element.
    mutating func sort(_ elements: [JSONValue], by expression: JMESPathNode) throws(JMESPathError) -> JSONValue {
        let keys = try sortKeys(of: elements, by: expression, function: .sortBy)
        try charge(Self.sortingCost(elements.count))
        return .array(Self.stableOrder(keys).map { elements[$0] })
    }

    /// The key of every element, which must all be numbers or all be strings.
    private mutating func sortKeys(
        of elements: [JSONValue], by expression: JMESPathNode, function: JMESPathFunction
    ) throws(JMESPathError) -> [JSONValue] {
        var keys: [JSONValue] = []
        keys.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            let key = try evaluate(expression, element)
            let typeName = key.jmesPathTypeName
            let expected = keys.first?.jmesPathTypeName
            guard typeName == expected || (expected == nil && (typeName == "number" || typeName == "string")) else {
                let wanted = expected.map { "a \($0) like the first element's" } ?? "a number or a string"
                throw JMESPathError(
                    .invalidType, "\(function.rawValue)() expression must give \(wanted) for every element, got \(typeName) for element \(index)")
            }
            keys.append(key)
        }
        return keys
    }

    /// Indices of `keys` in ascending order, equal keys kept in their original order.
    private static func stableOrder(_ keys: [JSONValue]) -> [Int] {
        keys.indices.sorted { a, b in
            let order = Self.order(keys[a], keys[b])
            return order != 0 ? order < 0 : a < b
        }
    }

    private static func sortingCost(_ count: Int) -> Int {
        count <= 1 ? 1 : count * (Int.bitWidth - count.leadingZeroBitCount)
    }
}
