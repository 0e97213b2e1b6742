extension SchemaEvaluator {
    /// Keywords that apply to arrays; other instance types pass them.
    mutating func evaluateArrayKeyword(
        _ keyword: CompiledKeyword,
        _ node: SchemaNode,
        _ elements: [JSONValue],
        _ evaluated: inout EvaluatedLocations,
        _ track: Bool
    ) -> Bool {
        switch keyword {
        case .minItems(let minimum):
            if elements.count >= minimum { return true }
            report(node, "minItems", "array has \(Self.count(elements.count, "item")), fewer than the minimum of \(minimum)")
            return false
        case .maxItems(let maximum):
            if elements.count <= maximum { return true }
            report(node, "maxItems", "array has \(Self.count(elements.count, "item")), more than the maximum of \(maximum)")
            return false
        case .uniqueItems:
            return evaluateUniqueItems(node, elements)
        case .contains(let rule):
            return evaluateContains(rule, node, elements, &evaluated, track)
        case .prefixItems(let subschemas):
            var valid = true
            let count = min(elements.count, subschemas.count)
            for index in 0..<count where !evaluateItem(subschemas[index], "prefixItems", index, elements[index], node) {
                valid = false
                if !reportsErrors { return false }
            }
            if track { evaluated.itemPrefix = max(evaluated.itemPrefix, count) }
            return valid
        case .items(let subschema, let start):
            var valid = true
            if start < elements.count {
                for index in start..<elements.count where !evaluateItem(subschema, "items", index, elements[index], node, fixedPosition: false) {
                    valid = false
                    if !reportsErrors { return false }
                }
            }
            if track { evaluated.allItems = true }
            return valid
        case .unevaluatedItems(let subschema):
            if evaluated.allItems { return true }
            var valid = true
            for index in elements.indices where !evaluated.isEvaluated(item: index) {
                if !evaluateItem(subschema, "unevaluatedItems", index, elements[index], node, fixedPosition: false) {
                    valid = false
                    if !reportsErrors { return false }
                }
            }
            evaluated.allItems = true
            return valid
        default:
            return true
        }
    }

    /// Applies an item subschema, wording a `false` subschema as "unexpected item" rather than "false schema".
    private mutating func evaluateItem(
        _ subschema: Int,
        _ keyword: String,
        _ index: Int,
        _ element: JSONValue,
        _ node: SchemaNode,
        fixedPosition: Bool = true
    ) -> Bool {
        pushKeyword(keyword)
        if fixedPosition { pushKeyword(String(index)) }
        pushInstance(String(index))
        defer {
            popInstance()
            if fixedPosition { popKeyword() }
            popKeyword()
        }
        if nodes[subschema].isFalse {
            report(node, keyword, "unexpected item at index \(index)", appendKeyword: false)
            return false
        }
        return evaluateChild(subschema, element)
    }

    private mutating func evaluateUniqueItems(_ node: SchemaNode, _ elements: [JSONValue]) -> Bool {
        if elements.count < 2 { return true }
        var seen = Set<JSONValue>(minimumCapacity: elements.count)
        for element in elements where !seen.insert(element).inserted {
            if reportsErrors {
                // Only on the error path: find both positions for the message.
                let indices = elements.indices.filter { elements[$0] == element }
                report(node, "uniqueItems", "array items at indices \(indices[0]) and \(indices[1]) are equal; items must be unique")
            }
            return false
        }
        return true
    }

    private mutating func evaluateContains(
        _ rule: ContainsRule,
        _ node: SchemaNode,
        _ elements: [JSONValue],
        _ evaluated: inout EvaluatedLocations,
        _ track: Bool
    ) -> Bool {
        var matches = 0
        var matched: Set<Int> = []
        pushKeyword("contains")
        for (index, element) in elements.enumerated() {
            guard silently({ $0.evaluateChild(rule.node, element) }) else { continue }
            matches += 1
            if track { matched.insert(index) }
            // Without a maximum and without annotation collection, enough matches settle it.
            if !track && rule.maximum == nil && matches >= rule.minimum { break }
            if let maximum = rule.maximum, matches > maximum, !track { break }
        }
        popKeyword()
        if track { evaluated.items.formUnion(matched) }
        if matches < rule.minimum {
            if rule.minimum == 1 {
                report(node, "contains", "array does not contain an item matching the \"contains\" schema")
            } else {
                report(node, "minContains", "array contains \(matches) matching item(s), fewer than minContains \(rule.minimum)")
            }
            return false
        }
        if let maximum = rule.maximum, matches > maximum {
            report(node, "maxContains", "array contains \(matches) or more matching items, more than maxContains \(maximum)")
            return false
        }
        return true
    }

    static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}
