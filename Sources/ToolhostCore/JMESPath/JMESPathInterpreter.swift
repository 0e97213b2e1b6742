/// Evaluates a compiled tree against a JSON value, following the specification's semantics
/// (those of the reference implementation where the specification is silent), and counts its
/// work against ``JMESPathLimits``.
struct JMESPathInterpreter {
    private let maximumSteps: Int
    private var remainingSteps: Int

    init(limits: JMESPathLimits) {
        maximumSteps = limits.maximumSteps
        remainingSteps = limits.maximumSteps
    }

    /// Spends `steps` units of work.
    /// - Throws: ``JMESPathError`` `limit-exceeded` when the search has used up its limit.
    mutating func charge(_ steps: Int) throws(JMESPathError) {
        remainingSteps -= steps
        if remainingSteps < 0 {
            throw JMESPathError(.limitExceeded, "the search needs more than \(maximumSteps) steps; the expression multiplies its data too much")
        }
    }

    /// The result of `node` with `value` as the current node.
    mutating func evaluate(_ node: JMESPathNode, _ value: JSONValue) throws(JMESPathError) -> JSONValue {
        try charge(1)
        switch node {
        case .current:
            return value
        case .field(let name):
            return value[name] ?? .null
        case .chain(let nodes):
            var result = value
            for node in nodes { result = try evaluate(node, result) }
            return result
        case .index(let index):
            guard case .array(let elements) = value else { return .null }
            let resolved = index < 0 ? elements.count + index : index
            return elements.indices.contains(resolved) ? elements[resolved] : .null
        case .slice(let start, let stop, let step):
            guard case .array(let elements) = value else { return .null }
            return .array(try slice(elements, start: start, stop: stop, step: step ?? 1))
        case .literal(let literal):
            return literal
        case .listProjection(let left, let right):
            guard case .array(let elements) = try evaluate(left, value) else { return .null }
            return .array(try project(elements, through: right))
        case .objectProjection(let left, let right):
            guard case .object(let members) = try evaluate(left, value) else { return .null }
            return .array(try project(try orderedValues(of: members), through: right))
        case .filterProjection(let left, let condition, let right):
            guard case .array(let elements) = try evaluate(left, value) else { return .null }
            var kept: [JSONValue] = []
            for element in elements {
                if try evaluate(condition, element).isTruthy { kept.append(element) }
            }
            return .array(try project(kept, through: right))
        case .flatten(let inner):
            guard case .array(let elements) = try evaluate(inner, value) else { return .null }
            return .array(try flatten(elements))
        case .multiSelectList(let nodes):
            if value.isNull { return .null }
            var results: [JSONValue] = []
            results.reserveCapacity(nodes.count)
            for node in nodes { results.append(try evaluate(node, value)) }
            return .array(results)
        case .multiSelectHash(let pairs):
            if value.isNull { return .null }
            var members: [String: JSONValue] = [:]
            for (key, node) in pairs { members[key] = try evaluate(node, value) }
            return .object(members)
        case .comparison(let comparator, let left, let right):
            return try compare(try evaluate(left, value), comparator, try evaluate(right, value))
        case .or(let left, let right):
            let first = try evaluate(left, value)
            return first.isTruthy ? first : try evaluate(right, value)
        case .and(let left, let right):
            let first = try evaluate(left, value)
            return first.isTruthy ? try evaluate(right, value) : first
        case .not(let inner):
            return .bool(!(try evaluate(inner, value).isTruthy))
        case .pipe(let left, let right):
            return try evaluate(right, try evaluate(left, value))
        case .function(let function, let arguments):
            return try call(function, arguments, on: value)
        case .expressionReference:
            throw JMESPathError(.invalidType, "an expression reference (&…) can only be an argument of a function such as sort_by()")
        }
    }

    /// `right` applied to each element, with null results left out (the projection rule).
    private mutating func project(_ elements: [JSONValue], through right: JMESPathNode) throws(JMESPathError) -> [JSONValue] {
        var results: [JSONValue] = []
        results.reserveCapacity(elements.count)
        for element in elements {
            let result = try evaluate(right, element)
            if !result.isNull { results.append(result) }
        }
        return results
    }

    private mutating func flatten(_ elements: [JSONValue]) throws(JMESPathError) -> [JSONValue] {
        var results: [JSONValue] = []
        results.reserveCapacity(elements.count)
        for element in elements {
            if case .array(let nested) = element {
                try charge(nested.count)
                results.append(contentsOf: nested)
            } else {
                results.append(element)
            }
        }
        return results
    }

    /// The slice rules of the specification: bounds are clamped, negative ones count from the end.
    private mutating func slice(_ elements: [JSONValue], start: Int?, stop: Int?, step: Int) throws(JMESPathError) -> [JSONValue] {
        let count = elements.count
        func clamp(_ bound: Int) -> Int {
            if bound < 0 {
                let fromEnd = bound + count
                return fromEnd >= 0 ? fromEnd : (step < 0 ? -1 : 0)
            }
            return bound >= count ? (step < 0 ? count - 1 : count) : bound
        }
        let first = start.map(clamp) ?? (step > 0 ? 0 : count - 1)
        let limit = stop.map(clamp) ?? (step > 0 ? count : -1)
        var results: [JSONValue] = []
        var index = first
        while step > 0 ? index < limit : index > limit {
            results.append(elements[index])
            let (next, overflow) = index.addingReportingOverflow(step)
            if overflow { break }
            index = next
        }
        try charge(results.count)
        return results
    }

    private mutating func compare(_ left: JSONValue, _ comparator: JMESPathComparator, _ right: JSONValue) throws(JMESPathError) -> JSONValue {
        switch comparator {
        case .equal: return .bool(try equal(left, right))
        case .notEqual: return .bool(!(try equal(left, right)))
        default:
            // Ordering is defined for numbers only; anything else compares as null.
            guard let order = JSONValue.numericOrder(left, right) else { return .null }
            switch comparator {
            case .less: return .bool(order < 0)
            case .lessOrEqual: return .bool(order <= 0)
            case .greater: return .bool(order > 0)
            default: return .bool(order >= 0)
            }
        }
    }

    /// Deep equality (numbers by value, `1 == 1.0`) that charges for every node it visits, since
    /// values built by multiselects can share structure and be far larger than their memory.
    mutating func equal(_ left: JSONValue, _ right: JSONValue) throws(JMESPathError) -> Bool {
        try charge(1)
        switch (left, right) {
        case (.array(let leftElements), .array(let rightElements)):
            guard leftElements.count == rightElements.count else { return false }
            for (leftElement, rightElement) in zip(leftElements, rightElements) {
                if !(try equal(leftElement, rightElement)) { return false }
            }
            return true
        case (.object(let leftMembers), .object(let rightMembers)):
            guard leftMembers.count == rightMembers.count else { return false }
            for (key, leftMember) in leftMembers {
                guard let rightMember = rightMembers[key], try equal(leftMember, rightMember) else { return false }
            }
            return true
        default:
            return left == right
        }
    }

    /// An object's values in the code point order of their keys, so that `*` is deterministic.
    mutating func orderedValues(of members: [String: JSONValue]) throws(JMESPathError) -> [JSONValue] {
        try charge(members.count)
        return JSONValue.orderedKeys(of: members).map { members[$0]! }
    }

    /// Charges for visiting all of `value` once, as serializing it does: one step a node and one
    /// per 16 bytes of string.
    mutating func chargeForVisiting(_ value: JSONValue) throws(JMESPathError) {
        switch value {
        case .array(let elements):
            try charge(1)
            for element in elements { try chargeForVisiting(element) }
        case .object(let members):
            try charge(1)
            for (key, member) in members {
                try charge(key.utf8.count / 16)
                try chargeForVisiting(member)
            }
        case .string(let string):
            try charge(1 + string.utf8.count / 16)
        default:
            try charge(1)
        }
    }
}
