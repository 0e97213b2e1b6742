import ToolhostCore

/// Compares the top level of two versions of a tool's schemas for changes that break callers.
enum SchemaComparison {
    /// What a schema says about the types it admits.
    private enum Types {
        /// Anything (`true` or `{}`).
        case any
        /// No `type` keyword, but other constraints: not compared, to avoid false alarms.
        case unknown
        case some(Set<String>)
    }

    static func inputChanges(tool: String, old: JSONValue, new: JSONValue) -> [BreakingChange] {
        var changes: [BreakingChange] = []
        let newlyRequired = required(new).subtracting(required(old))
        for name in newlyRequired.sorted() {
            changes.append(
                .init(
                    kind: .requiredInputAdded, tool: tool, property: name,
                    description: "tool \"\(tool)\": input property \"\(name)\" is now required"))
        }
        let oldProperties = properties(old)
        let newProperties = properties(new)
        let closed = new["additionalProperties"] == .bool(false)
        for (name, oldSchema) in oldProperties.sorted(by: { $0.key < $1.key }) {
            guard let newSchema = newProperties[name] else {
                if closed {
                    changes.append(
                        .init(
                            kind: .inputPropertyRemoved, tool: tool, property: name,
                            description: "tool \"\(tool)\": input property \"\(name)\" was removed and additional properties are not allowed"))
                }
                continue
            }
            if let lost = lostTypes(old: types(oldSchema), new: types(newSchema)) {
                changes.append(
                    .init(
                        kind: .inputTypeNarrowed, tool: tool, property: name,
                        description: "tool \"\(tool)\": input property \"\(name)\" no longer accepts \(lost)"))
            }
        }
        return changes
    }

    static func outputChanges(tool: String, old: JSONValue, new: JSONValue) -> [BreakingChange] {
        let removed = Set(properties(old).keys).subtracting(properties(new).keys)
        return removed.sorted().map { name in
            BreakingChange(
                kind: .outputPropertyRemoved, tool: tool, property: name,
                description: "tool \"\(tool)\": output property \"\(name)\" was removed")
        }
    }

    private static func required(_ schema: JSONValue) -> Set<String> {
        Set(schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
    }

    private static func properties(_ schema: JSONValue) -> [String: JSONValue] {
        schema["properties"]?.objectValue ?? [:]
    }

    private static func types(_ schema: JSONValue) -> Types {
        if schema == .bool(true) || schema == .object([:]) { return .any }
        switch schema["type"] {
        case .string(let name)?: return .some([name])
        case .array(let names)?: return .some(Set(names.compactMap(\.stringValue)))
        default: return .unknown
        }
    }

    /// The types `old` admitted that `new` does not, in words; `nil` when nothing was lost (or the
    /// schemas cannot be compared by type).
    private static func lostTypes(old: Types, new: Types) -> String? {
        switch (old, new) {
        case (.any, .some(let admitted)):
            return "any type (only \(admitted.sorted().joined(separator: ", ")))"
        case (.some(let before), .some(let after)):
            // JSON Schema's "number" includes the integers.
            let lost = before.filter { !(after.contains($0) || ($0 == "integer" && after.contains("number"))) }
            return lost.isEmpty ? nil : lost.sorted().joined(separator: ", ")
        default:
            return nil
        }
    }
}
