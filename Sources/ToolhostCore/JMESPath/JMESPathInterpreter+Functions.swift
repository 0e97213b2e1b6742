extension JMESPathInterpreter {
    /// Evaluates the arguments (an `&expr` stays an expression), checks their types against the
    /// function's signature, and calls the function. The parser has checked the argument count.
    mutating func call(_ function: JMESPathFunction, _ nodes: [JMESPathNode], on value: JSONValue) throws(JMESPathError) -> JSONValue {
        var arguments: [JMESPathArgument] = []
        arguments.reserveCapacity(nodes.count)
        for node in nodes {
            if case .expressionReference(let expression) = node {
                arguments.append(.expression(expression))
            } else {
                arguments.append(.value(try evaluate(node, value)))
            }
        }
        try function.signature.checkTypes(arguments, of: function)
        let values = arguments.map { argument -> JSONValue in
            if case .value(let value) = argument { return value }
            return .null
        }
        switch function {
        case .abs: return Self.abs(values[0])
        case .avg: return try average(values[0].arrayValue ?? [])
        case .ceil: return Self.rounded(values[0], .up)
        case .floor: return Self.rounded(values[0], .down)
        case .contains: return .bool(try contains(values[0], values[1]))
        case .endsWith: return .bool(Self.hasSuffix(values[0].stringValue ?? "", values[1].stringValue ?? ""))
        case .startsWith: return .bool((values[0].stringValue ?? "").utf8.starts(with: (values[1].stringValue ?? "").utf8))
        case .join: return try join(values[1].arrayValue ?? [], separator: values[0].stringValue ?? "")
        case .keys: return try keys(of: values[0].objectValue ?? [:])
        case .values: return .array(try orderedValues(of: values[0].objectValue ?? [:]))
        case .length: return try length(of: values[0])
        case .map: return try map(Self.expression(arguments[0]), over: values[1].arrayValue ?? [])
        case .max: return try extreme(of: values[0].arrayValue ?? [], greatest: true)
        case .min: return try extreme(of: values[0].arrayValue ?? [], greatest: false)
        case .maxBy: return try extreme(of: values[0].arrayValue ?? [], by: Self.expression(arguments[1]), greatest: true, function: function)
        case .minBy: return try extreme(of: values[0].arrayValue ?? [], by: Self.expression(arguments[1]), greatest: false, function: function)
        case .sort: return try sort(values[0].arrayValue ?? [])
        case .sortBy: return try sort(values[0].arrayValue ?? [], by: Self.expression(arguments[1]))
        case .merge: return try merge(values)
        case .notNull: return values.first { !$0.isNull } ?? .null
        case .reverse: return try reverse(values[0])
        case .sum: return try sum(values[0].arrayValue ?? [])
        case .toArray: return values[0].arrayValue != nil ? values[0] : .array([values[0]])
        case .toNumber: return Self.number(from: values[0])
        case .toString: return try string(from: values[0])
        case .type: return .string(values[0].jmesPathTypeName)
        }
    }

    private static func expression(_ argument: JMESPathArgument) -> JMESPathNode {
        if case .expression(let node) = argument { return node }
        return .current
    }

    // MARK: Numbers

    private static func abs(_ value: JSONValue) -> JSONValue {
        switch value {
        case .int(let number) where number != .min: .int(Swift.abs(number))
        case .int(let number): .double(-Double(number))
        case .double(let number): .double(Swift.abs(number))
        default: .null
        }
    }

    /// `ceil` and `floor`: an integer when the result fits in one.
    private static func rounded(_ value: JSONValue, _ rule: FloatingPointRoundingRule) -> JSONValue {
        guard case .double(let number) = value else { return value }
        let result = number.rounded(rule)
        return Int(exactly: result).map(JSONValue.int) ?? .double(result)
    }

    private mutating func sum(_ elements: [JSONValue]) throws(JMESPathError) -> JSONValue {
        try charge(elements.count)
        var integer = 0
        var isInteger = true
        var double = 0.0
        for element in elements {
            if isInteger, case .int(let value) = element {
                let (total, overflow) = integer.addingReportingOverflow(value)
                if !overflow {
                    integer = total
                    continue
                }
            }
            if isInteger {
                isInteger = false
                double = Double(integer)
            }
            double += element.doubleValue ?? 0
        }
        return isInteger ? .int(integer) : .double(double)
    }

    private mutating func average(_ elements: [JSONValue]) throws(JMESPathError) -> JSONValue {
        guard !elements.isEmpty else { return .null }
        let total = try sum(elements).doubleValue ?? 0
        return .double(total / Double(elements.count))
    }

    /// `to_number`: numbers as they are, strings that are JSON numbers parsed, anything else null.
    private static func number(from value: JSONValue) -> JSONValue {
        switch value {
        case .int, .double: return value
        case .string(let text):
            guard let parsed = try? JSONValue(parsing: text), parsed.isNumber else { return .null }
            return parsed
        default: return .null
        }
    }

    // MARK: Strings and collections

    private mutating func contains(_ subject: JSONValue, _ search: JSONValue) throws(JMESPathError) -> Bool {
        switch subject {
        case .array(let elements):
            for element in elements where try equal(element, search) { return true }
            return false
        case .string(let text):
            guard case .string(let needle) = search else { return false }
            try charge(text.utf8.count / 16)
            return Self.find(Array(needle.utf8), in: Array(text.utf8))
        default:
            return false
        }
    }

    /// Substring search on UTF-8 bytes, which matches whole code points only because UTF-8 is self-synchronizing.
    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard needle.count <= haystack.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }

    private static func hasSuffix(_ text: String, _ suffix: String) -> Bool {
        let count = suffix.utf8.count
        return text.utf8.count >= count && text.utf8.suffix(count).elementsEqual(suffix.utf8)
    }

    private mutating func join(_ elements: [JSONValue], separator: String) throws(JMESPathError) -> JSONValue {
        var bytes = 0
        let strings = elements.map { $0.stringValue ?? "" }
        for string in strings { bytes += string.utf8.count + separator.utf8.count }
        try charge(elements.count + bytes / 16)
        return .string(strings.joined(separator: separator))
    }

    private mutating func keys(of members: [String: JSONValue]) throws(JMESPathError) -> JSONValue {
        try charge(members.count)
        return .array(JSONValue.orderedKeys(of: members).map(JSONValue.string))
    }

    /// Strings count code points, as the specification requires.
    private mutating func length(of value: JSONValue) throws(JMESPathError) -> JSONValue {
        switch value {
        case .string(let text):
            try charge(text.utf8.count / 16)
            return .int(text.unicodeScalars.count)
        case .array(let elements): return .int(elements.count)
        case .object(let members): return .int(members.count)
        default: return .null
        }
    }

    private mutating func reverse(_ value: JSONValue) throws(JMESPathError) -> JSONValue {
        switch value {
        case .string(let text):
            try charge(text.utf8.count / 16)
            return .string(String(String.UnicodeScalarView(text.unicodeScalars.reversed())))
        case .array(let elements):
            try charge(elements.count)
            return .array(elements.reversed())
        default:
            return .null
        }
    }

    private mutating func merge(_ objects: [JSONValue]) throws(JMESPathError) -> JSONValue {
        var merged: [String: JSONValue] = [:]
        for case .object(let members) in objects {
            try charge(members.count)
            merged.merge(members) { _, later in later }
        }
        return .object(merged)
    }

    /// `to_string`: strings as they are, anything else as compact JSON.
    private mutating func string(from value: JSONValue) throws(JMESPathError) -> JSONValue {
        if case .string = value { return value }
        try chargeForVisiting(value)
        return .string(value.serialized())
    }

    private mutating func map(_ expression: JMESPathNode, over elements: [JSONValue]) throws(JMESPathError) -> JSONValue {
        var results: [JSONValue] = []
        results.reserveCapacity(elements.count)
        for element in elements { results.append(try evaluate(expression, element)) }
        return .array(results)
    }
}
