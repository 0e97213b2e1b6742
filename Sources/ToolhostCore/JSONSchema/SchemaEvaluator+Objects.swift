extension SchemaEvaluator {
    /// Keywords that apply to objects; other instance types pass them.
    mutating func evaluateObjectKeyword(
        _ keyword: CompiledKeyword,
        _ node: SchemaNode,
        _ members: [String: JSONValue],
        _ instance: JSONValue,
        _ evaluated: inout EvaluatedLocations,
        _ track: Bool
    ) -> Bool {
        switch keyword {
        case .minProperties(let minimum):
            if members.count >= minimum { return true }
            report(node, "minProperties", "object has \(Self.count(members.count, "property")), fewer than the minimum of \(minimum)")
            return false
        case .maxProperties(let maximum):
            if members.count <= maximum { return true }
            report(node, "maxProperties", "object has \(Self.count(members.count, "property")), more than the maximum of \(maximum)")
            return false
        case .required(let names):
            var valid = true
            for name in names where members[name] == nil {
                report(node, "required", "missing required property \"\(name)\"")
                valid = false
                if !reportsErrors { return false }
            }
            return valid
        case .dependentRequired(let requirements):
            var valid = true
            for requirement in requirements where members[requirement.property] != nil {
                for name in requirement.required where members[name] == nil {
                    report(node, "dependentRequired", "property \"\(requirement.property)\" requires property \"\(name)\", which is missing")
                    valid = false
                    if !reportsErrors { return false }
                }
            }
            return valid
        case .properties(let properties):
            var valid = true
            for property in properties {
                guard let value = members[property.name] else { continue }
                if track { evaluated.properties.insert(property.name) }
                if !evaluateMember(property.node, "properties", property.name, value, node, keyed: true) {
                    valid = false
                    if !reportsErrors { return false }
                }
            }
            return valid
        case .patternProperties(let rules):
            return reportsErrors
                ? evaluatePatternProperties(rules, node, members.sorted { $0.key < $1.key }, &evaluated, track)
                : evaluatePatternProperties(rules, node, members, &evaluated, track)
        case .additionalProperties(let rule):
            return reportsErrors
                ? evaluateAdditionalProperties(rule, node, members.sorted { $0.key < $1.key }, &evaluated, track)
                : evaluateAdditionalProperties(rule, node, members, &evaluated, track)
        case .unevaluatedProperties(let subschema):
            if evaluated.allProperties { return true }
            let valid =
                reportsErrors
                ? evaluateUnevaluatedProperties(subschema, node, members.sorted { $0.key < $1.key }, evaluated)
                : evaluateUnevaluatedProperties(subschema, node, members, evaluated)
            evaluated.allProperties = true
            return valid
        case .dependentSchemas(let dependents):
            var valid = true
            for dependent in dependents where members[dependent.name] != nil {
                pushKeyword("dependentSchemas")
                defer { popKeyword() }
                if !evaluateInPlace(dependent.node, dependent.name, instance, &evaluated, track) {
                    valid = false
                    if !reportsErrors { return false }
                }
            }
            return valid
        case .propertyNames(let subschema):
            return evaluatePropertyNames(subschema, node, reportsErrors ? members.keys.sorted() : Array(members.keys))
        default:
            return true
        }
    }

    private mutating func evaluatePatternProperties<Members: Sequence<(key: String, value: JSONValue)>>(
        _ rules: [PatternSubschema],
        _ node: SchemaNode,
        _ members: Members,
        _ evaluated: inout EvaluatedLocations,
        _ track: Bool
    ) -> Bool {
        var valid = true
        for (name, value) in members {
            for rule in rules where rule.regex.matches(name) {
                if track { evaluated.properties.insert(name) }
                if !evaluateMember(rule.node, "patternProperties", rule.regex.source, value, node, keyed: true, instanceToken: name) {
                    valid = false
                    if !reportsErrors { return false }
                }
            }
        }
        return valid
    }

    private mutating func evaluateAdditionalProperties<Members: Sequence<(key: String, value: JSONValue)>>(
        _ rule: AdditionalPropertiesRule,
        _ node: SchemaNode,
        _ members: Members,
        _ evaluated: inout EvaluatedLocations,
        _ track: Bool
    ) -> Bool {
        var valid = true
        for (name, value) in members {
            if rule.declared.contains(name) || rule.patterns.contains(where: { $0.matches(name) }) { continue }
            if !evaluateMember(rule.node, "additionalProperties", name, value, node, keyed: false) {
                valid = false
                if !reportsErrors { return false }
            }
        }
        if track { evaluated.allProperties = true }
        return valid
    }

    private mutating func evaluateUnevaluatedProperties<Members: Sequence<(key: String, value: JSONValue)>>(
        _ subschema: Int,
        _ node: SchemaNode,
        _ members: Members,
        _ evaluated: EvaluatedLocations
    ) -> Bool {
        var valid = true
        for (name, value) in members where !evaluated.isEvaluated(property: name) {
            if !evaluateMember(subschema, "unevaluatedProperties", name, value, node, keyed: false) {
                valid = false
                if !reportsErrors { return false }
            }
        }
        return valid
    }

    /// Applies a subschema to one member value. A `false` subschema is reported at the object, naming the property.
    /// - Parameter keyed: whether the keyword location includes a token after the keyword (`properties/name`).
    private mutating func evaluateMember(
        _ subschema: Int,
        _ keyword: String,
        _ keywordToken: String,
        _ value: JSONValue,
        _ node: SchemaNode,
        keyed: Bool,
        instanceToken: String? = nil
    ) -> Bool {
        let name = instanceToken ?? keywordToken
        if nodes[subschema].isFalse {
            pushKeyword(keyword)
            if keyed { pushKeyword(keywordToken) }
            let message = keyword == "properties" ? "property \"\(name)\" is not allowed" : "unexpected property \"\(name)\""
            report(node, keyword, message, appendKeyword: false)
            if keyed { popKeyword() }
            popKeyword()
            return false
        }
        pushKeyword(keyword)
        if keyed { pushKeyword(keywordToken) }
        pushInstance(name)
        defer {
            popInstance()
            if keyed { popKeyword() }
            popKeyword()
        }
        return evaluateChild(subschema, value)
    }

    /// Checks each member name against a schema; failures are reported at the object, quoting the name.
    private mutating func evaluatePropertyNames(_ subschema: Int, _ node: SchemaNode, _ names: [String]) -> Bool {
        var valid = true
        pushKeyword("propertyNames")
        defer { popKeyword() }
        for name in names {
            let firstError = errors.count
            if evaluateChild(subschema, .string(name)) { continue }
            valid = false
            if !reportsErrors { return false }
            let reasons = errors[firstError...].map(\.message)
            discardErrors(from: firstError)
            let why = reasons.isEmpty ? "" : ": " + reasons.joined(separator: "; ")
            report(node, "propertyNames", "property name \"\(name)\" is invalid\(why)", appendKeyword: false)
        }
        return valid
    }
}
