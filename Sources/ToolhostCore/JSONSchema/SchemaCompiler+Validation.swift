extension SchemaCompiler {
    /// Compiles the validation vocabulary: assertions on one instance that need no subschemas.
    mutating func compileValidation(
        _ schema: [String: JSONValue],
        _ context: Context,
        into keywords: inout [CompiledKeyword]
    )
        throws(SchemaCompileError)
    {
        if let value = schema["type"] { keywords.append(.type(try typeSet(value, context))) }
        if let value = schema["enum"] {
            guard case .array(let options) = value else { throw invalid(context, "enum", "enum must be an array") }
            keywords.append(.enumeration(options))
        }
        if let value = schema["const"] { keywords.append(.const(value)) }
        if let value = schema["multipleOf"] {
            guard let divisor = SchemaNumber(value), divisor.doubleValue > 0 else {
                throw invalid(context, "multipleOf", "multipleOf must be a number greater than 0")
            }
            keywords.append(.multipleOf(divisor))
        }
        for var kind in [BoundKind.minimum, .exclusiveMinimum, .maximum, .exclusiveMaximum] {
            guard let value = schema[kind.keyword] else { continue }
            if context.vocabularies.contains(.legacyDraft) {
                // Draft 4 spelled exclusivity as a boolean beside minimum/maximum.
                if case .bool = value { continue }
                if kind == .minimum, schema["exclusiveMinimum"] == .bool(true) { kind = .exclusiveMinimum }
                if kind == .maximum, schema["exclusiveMaximum"] == .bool(true) { kind = .exclusiveMaximum }
            }
            guard let limit = SchemaNumber(value) else { throw invalid(context, kind.keyword, "\(kind.keyword) must be a number") }
            keywords.append(.bound(kind, limit))
        }
        if let value = schema["minLength"] { keywords.append(.minLength(try nonNegativeInteger(value, context, "minLength"))) }
        if let value = schema["maxLength"] { keywords.append(.maxLength(try nonNegativeInteger(value, context, "maxLength"))) }
        if let value = schema["pattern"] {
            guard case .string(let pattern) = value else { throw invalid(context, "pattern", "pattern must be a string") }
            keywords.append(.pattern(try regex(pattern, at: context.location(["pattern"]))))
        }
        if let value = schema["minItems"] { keywords.append(.minItems(try nonNegativeInteger(value, context, "minItems"))) }
        if let value = schema["maxItems"] { keywords.append(.maxItems(try nonNegativeInteger(value, context, "maxItems"))) }
        if case .bool(true)? = schema["uniqueItems"] { keywords.append(.uniqueItems) }
        if let value = schema["minProperties"] { keywords.append(.minProperties(try nonNegativeInteger(value, context, "minProperties"))) }
        if let value = schema["maxProperties"] { keywords.append(.maxProperties(try nonNegativeInteger(value, context, "maxProperties"))) }
        if let value = schema["required"] {
            let names = try stringArray(value, context, "required")
            if !names.isEmpty { keywords.append(.required(names)) }
        }
        var requirements: [DependentRequirement] = []
        if let value = schema["dependentRequired"] {
            guard case .object(let members) = value else { throw invalid(context, "dependentRequired", "dependentRequired must be an object") }
            for name in members.keys.sorted() {
                requirements.append(DependentRequirement(property: name, required: try stringArray(members[name]!, context, "dependentRequired")))
            }
        }
        // Pre-2020-12 "dependencies": its string-array members act like dependentRequired.
        if case .object(let members)? = schema["dependencies"] {
            for name in members.keys.sorted() {
                guard case .array = members[name]! else { continue }
                requirements.append(DependentRequirement(property: name, required: try stringArray(members[name]!, context, "dependencies")))
            }
        }
        if !requirements.isEmpty { keywords.append(.dependentRequired(requirements)) }
    }

    private func typeSet(_ value: JSONValue, _ context: Context) throws(SchemaCompileError) -> JSONTypeSet {
        let names: [JSONValue]
        switch value {
        case .string: names = [value]
        case .array(let elements): names = elements
        default: throw invalid(context, "type", "type must be a type name or an array of type names")
        }
        var set: JSONTypeSet = []
        for name in names {
            guard case .string(let text) = name, let type = JSONTypeSet(name: text) else {
                throw invalid(
                    context,
                    "type",
                    "\(name.serialized()) is not a JSON Schema type; use null, boolean, integer, number, string, array or object"
                )
            }
            set.insert(type)
        }
        return set
    }

    private func stringArray(_ value: JSONValue, _ context: Context, _ keyword: String) throws(SchemaCompileError) -> [String] {
        guard case .array(let elements) = value else { throw invalid(context, keyword, "\(keyword) must be an array of strings") }
        var strings: [String] = []
        for element in elements {
            guard case .string(let text) = element else { throw invalid(context, keyword, "\(keyword) must be an array of strings") }
            strings.append(text)
        }
        return strings
    }
}
