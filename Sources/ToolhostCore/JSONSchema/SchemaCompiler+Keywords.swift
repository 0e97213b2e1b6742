extension SchemaCompiler {
    /// Compiles the keywords of one schema object in a fixed order: references and simple assertions
    /// first (cheap, and the usual cause of failure), applicators next, `unevaluated*` last.
    mutating func compileKeywords(_ schema: [String: JSONValue], _ context: Context) throws(SchemaCompileError) -> [CompiledKeyword] {
        var keywords: [CompiledKeyword] = []
        try compileReferences(schema, context, into: &keywords)
        if context.vocabularies.contains(.validation) {
            try compileValidation(schema, context, into: &keywords)
        }
        if context.formatAsserts, let format = schema["format"] {
            guard case .string(let name) = format else { throw invalid(context, "format", "format must be a string") }
            if let known = SchemaFormat(rawValue: name) { keywords.append(.format(known)) }
        }
        if context.vocabularies.contains(.applicator) {
            try compileArrayApplicators(schema, context, into: &keywords)
            try compileObjectApplicators(schema, context, into: &keywords)
            try compileInPlaceApplicators(schema, context, into: &keywords)
        }
        if context.vocabularies.contains(.unevaluated) {
            if let value = schema["unevaluatedItems"] {
                try requireSchema(value, context, "unevaluatedItems")
                keywords.append(.unevaluatedItems(try child(context, "unevaluatedItems")))
            }
            if let value = schema["unevaluatedProperties"] {
                try requireSchema(value, context, "unevaluatedProperties")
                keywords.append(.unevaluatedProperties(try child(context, "unevaluatedProperties")))
            }
        }
        return keywords
    }

    // MARK: References

    private mutating func compileReferences(
        _ schema: [String: JSONValue],
        _ context: Context,
        into keywords: inout [CompiledKeyword]
    )
        throws(SchemaCompileError)
    {
        if let value = schema["$ref"] {
            guard case .string(let reference) = value else { throw invalid(context, "$ref", "$ref must be a string") }
            let (document, pointer, _) = try resolveReference(reference, context, keyword: "$ref")
            keywords.append(.ref(try compile(document: document, pointer: pointer)))
        }
        if let value = schema["$dynamicRef"], !context.vocabularies.contains(.legacyDraft) {
            guard case .string(let reference) = value else { throw invalid(context, "$dynamicRef", "$dynamicRef must be a string") }
            let (document, pointer, resolved) = try resolveReference(reference, context, keyword: "$dynamicRef")
            let target = try compile(document: document, pointer: pointer)
            // Only a fragment naming a $dynamicAnchor of the initially resolved resource looks at the dynamic scope;
            // otherwise $dynamicRef is an ordinary $ref.
            var anchor: String?
            if let fragment = resolved.fragment, !fragment.isEmpty, !fragment.hasPrefix("/"),
                document.dynamicAnchors[resolved.withoutFragment.description]?[fragment] != nil
            {
                anchor = fragment
                noteDynamicScopeUse()
            }
            keywords.append(.dynamicRef(target: target, anchor: anchor))
        }
    }

    /// Resolves a reference against the current base URI to a document and a pointer inside it.
    /// - Throws: ``SchemaCompileError`` "unresolvable_ref" naming the reference and the absolute URI tried.
    private func resolveReference(
        _ reference: String,
        _ context: Context,
        keyword: String
    ) throws(SchemaCompileError) -> (
        SchemaDocument, JSONPointer, URIReference
    ) {
        let resolved = URIReference(reference).resolved(against: URIReference(context.base))
        let resourceURI = resolved.withoutFragment.description
        func unresolvable(_ why: String) -> SchemaCompileError {
            SchemaCompileError(
                code: "unresolvable_ref",
                message: "cannot resolve \(keyword) \"\(reference)\": \(why)",
                schemaLocation: context.location([keyword])
            )
        }
        guard let (document, resourcePointer) = registry.resource(resourceURI) else {
            throw unresolvable("no schema with URI \"\(resourceURI)\" is known; add it to the SchemaRegistry")
        }
        let fragment = resolved.fragment ?? ""
        if fragment.isEmpty { return (document, resourcePointer, resolved) }
        if fragment.hasPrefix("/") {
            guard let relative = try? JSONPointer(parsing: fragment.percentDecoded) else {
                throw unresolvable("\"#\(fragment)\" is not a valid JSON pointer")
            }
            let pointer = JSONPointer(resourcePointer.tokens + relative.tokens)
            guard pointer.resolve(in: document.root) != nil else {
                throw unresolvable("\"\(resourceURI)\" has nothing at \(relative)")
            }
            return (document, pointer, resolved)
        }
        guard let pointer = document.anchors[resourceURI + "#" + fragment] else {
            throw unresolvable("\"\(resourceURI)\" declares no anchor \"\(fragment)\"")
        }
        return (document, pointer, resolved)
    }

    // MARK: Applicators

    private mutating func compileArrayApplicators(
        _ schema: [String: JSONValue],
        _ context: Context,
        into keywords: inout [CompiledKeyword]
    )
        throws(SchemaCompileError)
    {
        var prefixCount = 0
        let legacy = context.vocabularies.contains(.legacyDraft)
        if !legacy, let value = schema["prefixItems"] {
            let nodes = try schemaArray(value, context, "prefixItems")
            prefixCount = nodes.count
            keywords.append(.prefixItems(nodes))
        }
        if let value = schema["items"] {
            if legacy, case .array = value {
                // Drafts before 2020-12: array-form items is a tuple, and additionalItems covers the rest.
                let nodes = try schemaArray(value, context, "items")
                keywords.append(.prefixItems(nodes))
                if let additional = schema["additionalItems"] {
                    try requireSchema(additional, context, "additionalItems")
                    keywords.append(.items(node: try child(context, "additionalItems"), from: nodes.count))
                }
            } else {
                try requireSchema(value, context, "items")
                keywords.append(.items(node: try child(context, "items"), from: prefixCount))
            }
        }
        if let value = schema["contains"] {
            try requireSchema(value, context, "contains")
            var rule = ContainsRule(node: try child(context, "contains"), minimum: 1, maximum: nil)
            if context.vocabularies.contains(.validation) {
                if let minimum = schema["minContains"] { rule.minimum = try nonNegativeInteger(minimum, context, "minContains") }
                if let maximum = schema["maxContains"] { rule.maximum = try nonNegativeInteger(maximum, context, "maxContains") }
            }
            keywords.append(.contains(rule))
        }
    }

    private mutating func compileObjectApplicators(
        _ schema: [String: JSONValue],
        _ context: Context,
        into keywords: inout [CompiledKeyword]
    )
        throws(SchemaCompileError)
    {
        var declared: Set<String> = []
        var patterns: [ECMARegex] = []
        if let value = schema["properties"] {
            let members = try schemaMap(value, context, "properties")
            var properties: [NamedSubschema] = []
            for name in members.keys.sorted() {
                properties.append(NamedSubschema(name: name, node: try child(context, "properties", name)))
                declared.insert(name)
            }
            keywords.append(.properties(properties))
        }
        if let value = schema["patternProperties"] {
            let members = try schemaMap(value, context, "patternProperties")
            var rules: [PatternSubschema] = []
            for pattern in members.keys.sorted() {
                let regex = try regex(pattern, at: context.location(["patternProperties", pattern]))
                rules.append(PatternSubschema(regex: regex, node: try child(context, "patternProperties", pattern)))
                patterns.append(regex)
            }
            keywords.append(.patternProperties(rules))
        }
        if let value = schema["additionalProperties"] {
            try requireSchema(value, context, "additionalProperties")
            let rule = AdditionalPropertiesRule(node: try child(context, "additionalProperties"), declared: declared, patterns: patterns)
            keywords.append(.additionalProperties(rule))
        }
        var dependents: [NamedSubschema] = []
        if let value = schema["dependentSchemas"] {
            let members = try schemaMap(value, context, "dependentSchemas")
            for name in members.keys.sorted() {
                dependents.append(NamedSubschema(name: name, node: try child(context, "dependentSchemas", name)))
            }
        }
        // Pre-2020-12 "dependencies" mixes both forms; its schema members act like dependentSchemas.
        if case .object(let members)? = schema["dependencies"] {
            for name in members.keys.sorted() where SchemaKeywords.isSchema(members[name]!) {
                dependents.append(NamedSubschema(name: name, node: try child(context, "dependencies", name)))
            }
        }
        if !dependents.isEmpty { keywords.append(.dependentSchemas(dependents)) }
        if let value = schema["propertyNames"] {
            try requireSchema(value, context, "propertyNames")
            keywords.append(.propertyNames(try child(context, "propertyNames")))
        }
    }

    private mutating func compileInPlaceApplicators(
        _ schema: [String: JSONValue],
        _ context: Context,
        into keywords: inout [CompiledKeyword]
    )
        throws(SchemaCompileError)
    {
        if let value = schema["allOf"] { keywords.append(.allOf(try schemaArray(value, context, "allOf"))) }
        if let value = schema["anyOf"] { keywords.append(.anyOf(try schemaArray(value, context, "anyOf"))) }
        if let value = schema["oneOf"] { keywords.append(.oneOf(try schemaArray(value, context, "oneOf"))) }
        if let value = schema["not"] {
            try requireSchema(value, context, "not")
            keywords.append(.not(try child(context, "not")))
        }
        if let value = schema["if"] {
            try requireSchema(value, context, "if")
            let condition = try child(context, "if")
            var then: Int?
            var otherwise: Int?
            if let value = schema["then"] {
                try requireSchema(value, context, "then")
                then = try child(context, "then")
            }
            if let value = schema["else"] {
                try requireSchema(value, context, "else")
                otherwise = try child(context, "else")
            }
            keywords.append(.conditional(if: condition, then: then, else: otherwise))
        }
    }

    // MARK: Shape checks

    func invalid(_ context: Context, _ keyword: String, _ message: String) -> SchemaCompileError {
        SchemaCompileError(code: "invalid_schema", message: message, schemaLocation: context.location([keyword]))
    }

    func requireSchema(_ value: JSONValue, _ context: Context, _ tokens: String...) throws(SchemaCompileError) {
        guard SchemaKeywords.isSchema(value) else {
            throw SchemaCompileError(
                code: "invalid_schema",
                message: "\(tokens.joined(separator: "/")) must be a schema (an object or a boolean), not \(value.typeName)",
                schemaLocation: context.location(tokens)
            )
        }
    }

    private mutating func schemaArray(_ value: JSONValue, _ context: Context, _ keyword: String) throws(SchemaCompileError) -> [Int] {
        guard case .array(let elements) = value, !elements.isEmpty else {
            throw invalid(context, keyword, "\(keyword) must be a non-empty array of schemas")
        }
        var nodes: [Int] = []
        for (index, element) in elements.enumerated() {
            try requireSchema(element, context, keyword, String(index))
            nodes.append(try child(context, keyword, String(index)))
        }
        return nodes
    }

    private func schemaMap(_ value: JSONValue, _ context: Context, _ keyword: String) throws(SchemaCompileError) -> [String: JSONValue] {
        guard case .object(let members) = value else { throw invalid(context, keyword, "\(keyword) must be an object of schemas") }
        for (name, member) in members where !SchemaKeywords.isSchema(member) {
            throw invalid(context, keyword, "\(keyword) member \"\(name)\" must be a schema (an object or a boolean)")
        }
        return members
    }

    func nonNegativeInteger(_ value: JSONValue, _ context: Context, _ keyword: String) throws(SchemaCompileError) -> Int {
        switch value {
        case .int(let number) where number >= 0:
            return number
        case .double(let number) where number >= 0 && number.rounded(.towardZero) == number:
            // Limits too large for Int cannot be reached by any real instance anyway.
            return Int(exactly: number) ?? Int.max
        default:
            throw invalid(context, keyword, "\(keyword) must be a non-negative integer")
        }
    }
}
