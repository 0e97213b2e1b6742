/// Where subschemas sit inside a schema object. The indexer (for `$id`/`$anchor`) and the compiler
/// use the same tables, so every location the compiler reaches has been indexed.
enum SchemaKeywords {
    /// Keywords whose value is one schema.
    static let single: [String] = [
        "additionalProperties", "propertyNames", "contains", "if", "then", "else", "not",
        "unevaluatedItems", "unevaluatedProperties", "contentSchema", "additionalItems",
    ]
    /// Keywords whose value is an array of schemas (`items` is one too in drafts before 2020-12).
    static let array: [String] = ["prefixItems", "allOf", "anyOf", "oneOf"]
    /// Keywords whose value is an object of schemas (`dependencies` members may also be string arrays, skipped).
    static let map: [String] = ["$defs", "definitions", "properties", "patternProperties", "dependentSchemas", "dependencies"]

    /// Calls `visit` with the path tokens and value of every direct subschema of `schema`.
    static func forEachSubschema(
        of schema: [String: JSONValue],
        _ visit: ([String], JSONValue) throws(SchemaCompileError) -> Void
    )
        throws(SchemaCompileError)
    {
        for keyword in single {
            if let value = schema[keyword], isSchema(value) { try visit([keyword], value) }
        }
        if let items = schema["items"] {
            if isSchema(items) {
                try visit(["items"], items)
            } else if case .array(let elements) = items {
                for (index, element) in elements.enumerated() where isSchema(element) { try visit(["items", String(index)], element) }
            }
        }
        for keyword in array {
            guard case .array(let elements)? = schema[keyword] else { continue }
            for (index, element) in elements.enumerated() where isSchema(element) { try visit([keyword, String(index)], element) }
        }
        for keyword in map {
            guard case .object(let members)? = schema[keyword] else { continue }
            for (name, member) in members where isSchema(member) { try visit([keyword, name], member) }
        }
    }

    static func isSchema(_ value: JSONValue) -> Bool {
        switch value {
        case .object, .bool: return true
        default: return false
        }
    }
}
