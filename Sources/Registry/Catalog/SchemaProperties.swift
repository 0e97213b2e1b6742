import ToolhostCore

/// A property that a schema declares, flattened for capability search.
struct SchemaProperty: Sendable, Hashable {
    var path: String
    /// `nil` when the schema does not restrict the type (then any type matches).
    var type: String?
    var required: Bool
}

/// Flattens the properties an object schema declares, so "takes `path` of type string" is an index lookup.
///
/// Follows `properties` into nested objects (dotted paths) and `items` of arrays (`[]`), resolves
/// local `$ref`s (`#/$defs/…`), and reads `type` as given (a string or a list). Deliberately shallow:
/// composition keywords such as `oneOf` are not explored, because a capability that only some
/// branches have is not one a caller can rely on.
enum SchemaProperties {
    static let maxDepth = 4

    static func flatten(_ schema: JSONValue) -> [SchemaProperty] {
        var result: [SchemaProperty] = []
        collect(schema, root: schema, prefix: "", depth: 0, into: &result)
        return result
    }

    private static func collect(_ schema: JSONValue, root: JSONValue, prefix: String, depth: Int, into result: inout [SchemaProperty]) {
        guard depth < maxDepth else { return }
        let schema = resolve(schema, root: root)
        guard let properties = schema["properties"]?.objectValue else { return }
        let required = Set(schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        for (name, propertySchema) in properties.sorted(by: { $0.key < $1.key }) {
            let path = prefix.isEmpty ? name : "\(prefix).\(name)"
            let resolved = resolve(propertySchema, root: root)
            let types = typeNames(of: resolved)
            if types.isEmpty {
                result.append(SchemaProperty(path: path, type: nil, required: required.contains(name)))
            } else {
                for type in types {
                    result.append(SchemaProperty(path: path, type: type, required: required.contains(name)))
                }
            }
            collect(resolved, root: root, prefix: path, depth: depth + 1, into: &result)
            if let items = resolved["items"] {
                collect(items, root: root, prefix: "\(path)[]", depth: depth + 1, into: &result)
            }
        }
    }

    private static func typeNames(of schema: JSONValue) -> [String] {
        switch schema["type"] {
        case .string(let name)?: [name]
        case .array(let names)?: names.compactMap(\.stringValue)
        default: []
        }
    }

    /// Follows a local `$ref` (up to a few hops, so a cycle cannot loop); anything else is returned as is.
    private static func resolve(_ schema: JSONValue, root: JSONValue) -> JSONValue {
        var current = schema
        for _ in 0..<8 {
            guard let ref = current["$ref"]?.stringValue, ref.hasPrefix("#"),
                let pointer = try? JSONPointer(parsing: String(ref.dropFirst())),
                let target = pointer.resolve(in: root)
            else { return current }
            current = target
        }
        return current
    }
}
