/// The built-in functions of the JMESPath specification.
enum JMESPathFunction: String, Sendable, CaseIterable {
    case abs, avg, ceil, contains, floor, join, keys, length, map, max, merge, min, reverse, sort, sum, type, values
    case endsWith = "ends_with"
    case maxBy = "max_by"
    case minBy = "min_by"
    case notNull = "not_null"
    case sortBy = "sort_by"
    case startsWith = "starts_with"
    case toArray = "to_array"
    case toNumber = "to_number"
    case toString = "to_string"

    /// The parameter types, as the specification declares them.
    var signature: JMESPathSignature {
        switch self {
        case .abs, .ceil, .floor: JMESPathSignature([.number])
        case .avg, .sum: JMESPathSignature([.arrayOfNumbers])
        case .contains: JMESPathSignature([[.array, .string], [.any]])
        case .endsWith, .startsWith: JMESPathSignature([.string, .string])
        case .join: JMESPathSignature([.string, .arrayOfStrings])
        case .keys, .values: JMESPathSignature([.object])
        case .length: JMESPathSignature([[.string, .array, .object]])
        case .map: JMESPathSignature([.expression, .array])
        case .max, .min, .sort: JMESPathSignature([[.arrayOfNumbers, .arrayOfStrings]])
        case .maxBy, .minBy, .sortBy: JMESPathSignature([.array, .expression])
        case .merge: JMESPathSignature([.object], variadic: true)
        case .notNull: JMESPathSignature([.any], variadic: true)
        case .reverse: JMESPathSignature([[.string, .array]])
        case .toArray, .toNumber, .toString, .type: JMESPathSignature([.any])
        }
    }
}

/// A parameter type of a function signature.
enum JMESPathType: String, Sendable {
    case any, number, string, boolean, array, object, null, expression = "expression (&…)"
    case arrayOfNumbers = "array[number]"
    case arrayOfStrings = "array[string]"

    /// Whether `argument` is of this type.
    func admits(_ argument: JMESPathArgument) -> Bool {
        guard case .value(let value) = argument else { return self == .expression }
        switch (self, value) {
        case (.any, _), (.null, .null), (.boolean, .bool), (.string, .string), (.array, .array), (.object, .object): return true
        case (.number, .int), (.number, .double): return true
        case (.arrayOfNumbers, .array(let elements)): return elements.allSatisfy(\.isNumber)
        case (.arrayOfStrings, .array(let elements)): return elements.allSatisfy { $0.stringValue != nil }
        default: return false
        }
    }
}

/// A function argument: a value, or for `&expr` the expression, evaluated later by the function.
enum JMESPathArgument {
    case value(JSONValue)
    case expression(JMESPathNode)

    /// The JMESPath type name of the argument, for error messages.
    var typeName: String {
        switch self {
        case .value(.array(let elements)) where !elements.isEmpty:
            // "array of number and string" says why array[number] did not fit.
            var names: [String] = []
            for element in elements where !names.contains(element.jmesPathTypeName) {
                names.append(element.jmesPathTypeName)
            }
            return "array of " + names.joined(separator: " and ")
        case .value(let value): return value.jmesPathTypeName
        case .expression: return "expression"
        }
    }
}

/// The parameters of a function: each a set of accepted types; the last may repeat.
struct JMESPathSignature: Sendable {
    let parameters: [[JMESPathType]]
    let variadic: Bool

    init(_ parameters: [[JMESPathType]], variadic: Bool = false) {
        self.parameters = parameters
        self.variadic = variadic
    }

    init(_ parameters: [JMESPathType], variadic: Bool = false) {
        self.init(parameters.map { [$0] }, variadic: variadic)
    }

    /// - Throws: ``JMESPathError`` `invalid-arity` when `count` arguments do not fit.
    func checkArity(_ count: Int, of function: JMESPathFunction, column: Int?) throws(JMESPathError) {
        let fits = variadic ? count >= parameters.count : count == parameters.count
        guard !fits else { return }
        let expected = variadic ? "at least \(parameters.count)" : "\(parameters.count)"
        let noun = parameters.count == 1 && !variadic ? "argument" : "arguments"
        throw JMESPathError(.invalidArity, "\(function.rawValue)() takes \(expected) \(noun), got \(count)", column: column)
    }

    /// - Throws: ``JMESPathError`` `invalid-type` naming the first argument of a type the function does not accept.
    func checkTypes(_ arguments: [JMESPathArgument], of function: JMESPathFunction) throws(JMESPathError) {
        for (index, argument) in arguments.enumerated() {
            let accepted = parameters[Swift.min(index, parameters.count - 1)]
            guard !accepted.contains(where: { $0.admits(argument) }) else { continue }
            let names = accepted.map(\.rawValue).joined(separator: " or ")
            throw JMESPathError(
                .invalidType, "\(function.rawValue)() argument \(index + 1) must be \(names), got \(argument.typeName)")
        }
    }
}

extension JSONValue {
    /// The type name JMESPath's `type()` function gives: one number type, "boolean" for booleans.
    var jmesPathTypeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .int, .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
