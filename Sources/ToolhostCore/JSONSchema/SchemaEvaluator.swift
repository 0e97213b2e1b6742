/// Applies a compiled schema to one instance.
///
/// Two modes share this code: the fast mode (``reportsErrors`` false) answers valid/invalid, stops at
/// the first failure and never builds a string; the reporting mode keeps going and records a
/// ``ValidationError`` for every failed assertion, with instance and keyword locations.
struct SchemaEvaluator {
    /// More subschemas applied to one instance location than this means an infinite `$ref` loop:
    /// real schemas nest a handful of in-place applicators, a loop never moves to a child instance.
    static let maximumInPlaceDepth = 128
    /// Total nesting limit, so that even a legitimate but absurdly deep instance cannot exhaust a thread's stack.
    static let maximumDepth = 1500

    let store: CompiledSchemaStore
    let nodes: [SchemaNode]
    let resources: [SchemaResource]
    let reportsErrors: Bool
    private let tracksDynamicScope: Bool
    private(set) var errors: [ValidationError] = []
    private var instancePath: [String] = []
    private var keywordPath: [String] = []
    /// Resources entered so far, outermost first: the dynamic scope that `$dynamicRef` searches.
    private var dynamicScope: [Int] = []
    private var depth = 0
    /// Subschemas applied, one inside the other, since evaluation last moved to a child instance.
    private var inPlaceDepth = 0

    init(store: CompiledSchemaStore, reportsErrors: Bool) {
        self.store = store
        nodes = store.nodes
        resources = store.resources
        self.reportsErrors = reportsErrors
        tracksDynamicScope = store.usesDynamicScope
    }

    /// Evaluates node `id` against a child (member or item) of the current instance.
    mutating func evaluateChild(_ id: Int, _ instance: JSONValue) -> Bool {
        let outerInPlaceDepth = inPlaceDepth
        inPlaceDepth = 0
        defer { inPlaceDepth = outerInPlaceDepth }
        var ignored = EvaluatedLocations()
        return evaluate(id, instance, &ignored, tracking: false)
    }

    /// Evaluates node `id` against `instance`.
    /// - Parameters:
    ///   - evaluated: a fresh bucket that receives this node's annotations when `tracking` (or the node itself needs them).
    ///   - tracking: whether an enclosing `unevaluated*` keyword wants this node's annotations.
    mutating func evaluate(_ id: Int, _ instance: JSONValue, _ evaluated: inout EvaluatedLocations, tracking: Bool) -> Bool {
        let node = nodes[id]
        if node.keywords.isEmpty { return true }
        depth += 1
        inPlaceDepth += 1
        defer {
            depth -= 1
            inPlaceDepth -= 1
        }
        if inPlaceDepth > Self.maximumInPlaceDepth || depth > Self.maximumDepth {
            let reached = depth
            report(node, "$ref", "schema recursion \(reached) levels deep without progress; is there a $ref loop?")
            return false
        }
        var entered = false
        if tracksDynamicScope && dynamicScope.last != node.resource {
            dynamicScope.append(node.resource)
            entered = true
        }
        defer { if entered { dynamicScope.removeLast() } }
        let track = tracking || node.tracksUnevaluated
        var valid = true
        for keyword in node.keywords {
            if !evaluate(keyword, node, instance, &evaluated, track) {
                valid = false
                if !reportsErrors { return false }
            }
        }
        return valid
    }

    private mutating func evaluate(
        _ keyword: CompiledKeyword,
        _ node: SchemaNode,
        _ instance: JSONValue,
        _ evaluated: inout EvaluatedLocations,
        _ track: Bool
    ) -> Bool {
        switch keyword {
        case .falseSchema:
            report(node, "false", "no value is allowed here (the schema is false)", appendKeyword: false)
            return false
        case .ref(let target):
            return evaluateInPlace(target, "$ref", instance, &evaluated, track)
        case .dynamicRef(let target, let anchor):
            var destination = target
            if let anchor {
                for resource in dynamicScope {
                    if let found = resources[resource].dynamicAnchors[anchor] {
                        destination = found
                        break
                    }
                }
            }
            return evaluateInPlace(destination, "$dynamicRef", instance, &evaluated, track)
        case .allOf(let subschemas):
            var valid = true
            for (index, subschema) in subschemas.enumerated() {
                if !evaluateInPlace(subschema, "allOf", index: index, instance, &evaluated, track) {
                    valid = false
                    if !reportsErrors { return false }
                }
            }
            return valid
        case .anyOf(let subschemas):
            return evaluateAnyOf(subschemas, node, instance, &evaluated, track)
        case .oneOf(let subschemas):
            return evaluateOneOf(subschemas, node, instance, &evaluated, track)
        case .not(let subschema):
            var ignored = EvaluatedLocations()
            let matched = silently { $0.evaluate(subschema, instance, &ignored, tracking: false) }
            if matched { report(node, "not", "value must not match the \"not\" schema") }
            return !matched
        case .conditional(let condition, let then, let otherwise):
            var conditionEvaluated = EvaluatedLocations()
            let holds = silently { $0.evaluate(condition, instance, &conditionEvaluated, tracking: track) }
            if holds && track { evaluated.merge(conditionEvaluated) }
            if holds, let then { return evaluateInPlace(then, "then", instance, &evaluated, track) }
            if !holds, let otherwise { return evaluateInPlace(otherwise, "else", instance, &evaluated, track) }
            return true
        case .type, .enumeration, .const, .multipleOf, .bound, .minLength, .maxLength, .pattern, .format:
            return evaluateAssertion(keyword, node, instance)
        case .minItems, .maxItems, .uniqueItems, .contains, .prefixItems, .items, .unevaluatedItems:
            guard case .array(let elements) = instance else { return true }
            return evaluateArrayKeyword(keyword, node, elements, &evaluated, track)
        case .minProperties, .maxProperties, .required, .dependentRequired, .properties, .patternProperties,
            .additionalProperties, .dependentSchemas, .propertyNames, .unevaluatedProperties:
            guard case .object(let members) = instance else { return true }
            return evaluateObjectKeyword(keyword, node, members, instance, &evaluated, track)
        }
    }

    // MARK: In-place applicators

    /// Evaluates a subschema against the same instance and keeps its annotations when it succeeds.
    mutating func evaluateInPlace(
        _ subschema: Int,
        _ keyword: String,
        index: Int? = nil,
        _ instance: JSONValue,
        _ evaluated: inout EvaluatedLocations,
        _ track: Bool
    ) -> Bool {
        pushKeyword(keyword)
        if let index { pushKeyword(String(index)) }
        defer {
            popKeyword()
            if index != nil { popKeyword() }
        }
        var local = EvaluatedLocations()
        let valid = evaluate(subschema, instance, &local, tracking: track)
        if valid && track { evaluated.merge(local) }
        return valid
    }

    private mutating func evaluateAnyOf(
        _ subschemas: [Int],
        _ node: SchemaNode,
        _ instance: JSONValue,
        _ evaluated: inout EvaluatedLocations,
        _ track: Bool
    ) -> Bool {
        let firstError = errors.count
        var matched = false
        for (index, subschema) in subschemas.enumerated() {
            if evaluateInPlace(subschema, "anyOf", index: index, instance, &evaluated, track) {
                matched = true
                // Annotations from every matching branch count, so keep going only when someone wants them.
                if !track { break }
            }
        }
        if matched {
            discardErrors(from: firstError)
        } else {
            report(node, "anyOf", "value does not match any of the \(subschemas.count) anyOf schemas", insertingAt: firstError)
        }
        return matched
    }

    private mutating func evaluateOneOf(
        _ subschemas: [Int],
        _ node: SchemaNode,
        _ instance: JSONValue,
        _ evaluated: inout EvaluatedLocations,
        _ track: Bool
    ) -> Bool {
        let firstError = errors.count
        var matches: [Int] = []
        var matchedEvaluated = EvaluatedLocations()
        for (index, subschema) in subschemas.enumerated() {
            var local = EvaluatedLocations()
            if evaluateInPlace(subschema, "oneOf", index: index, instance, &local, track) {
                matches.append(index)
                matchedEvaluated = local
                if matches.count > 1 { break }
            }
        }
        switch matches.count {
        case 1:
            discardErrors(from: firstError)
            if track { evaluated.merge(matchedEvaluated) }
            return true
        case 0:
            report(node, "oneOf", "value does not match any of the \(subschemas.count) oneOf schemas", insertingAt: firstError)
            return false
        default:
            discardErrors(from: firstError)
            report(node, "oneOf", "value matches more than one oneOf schema (at least #\(matches[0]) and #\(matches[1])); it must match exactly one")
            return false
        }
    }

    // MARK: Error bookkeeping

    /// Runs `body` without keeping any errors it reports (for `not`, `if` and `contains`, whose subschema failures are expected).
    mutating func silently(_ body: (inout SchemaEvaluator) -> Bool) -> Bool {
        let firstError = errors.count
        let result = body(&self)
        discardErrors(from: firstError)
        return result
    }

    mutating func discardErrors(from index: Int) {
        if errors.count > index { errors.removeSubrange(index...) }
    }

    /// Records a failure of `keyword` at the current locations; a no-op in fast mode, so the message is never built there.
    mutating func report(
        _ node: SchemaNode,
        _ keyword: String,
        _ message: @autoclosure () -> String,
        appendKeyword: Bool = true,
        insertingAt: Int? = nil
    ) {
        guard reportsErrors else { return }
        let keywordTokens = appendKeyword ? keywordPath + [keyword] : keywordPath
        let error = ValidationError(
            instanceLocation: Self.pointer(instancePath),
            keywordLocation: Self.pointer(keywordTokens),
            absoluteKeywordLocation: store.absoluteLocations[node.index].map { appendKeyword ? $0 + "/" + JSONPointer.escape(keyword) : $0 },
            keyword: keyword,
            message: message()
        )
        if let insertingAt { errors.insert(error, at: insertingAt) } else { errors.append(error) }
    }

    mutating func pushKeyword(_ token: String) {
        if reportsErrors { keywordPath.append(token) }
    }

    mutating func popKeyword() {
        if reportsErrors { keywordPath.removeLast() }
    }

    mutating func pushInstance(_ token: String) {
        if reportsErrors { instancePath.append(token) }
    }

    mutating func popInstance() {
        if reportsErrors { instancePath.removeLast() }
    }

    private static func pointer(_ tokens: [String]) -> String {
        JSONPointer(tokens).description
    }
}
