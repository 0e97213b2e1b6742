/// Turns schema documents into ``SchemaNode``s, resolving every `$ref` ahead of validation.
///
/// Nodes are keyed by (document, JSON pointer), so a location reached twice, or recursively, is
/// compiled once. Referenced documents come from the registry only.
struct SchemaCompiler {
    private struct NodeKey: Hashable {
        var document: String
        var pointer: JSONPointer
    }

    /// The location being compiled, handed to keyword compilers.
    struct Context {
        var document: SchemaDocument
        var pointer: JSONPointer
        var base: String
        var vocabularies: Vocabularies
        var formatAsserts: Bool

        /// "base#/pointer/keyword…" for compile errors.
        func location(_ tokens: [String] = []) -> String {
            base + "#" + JSONPointer(pointer.tokens + tokens).description
        }
    }

    var registry: SchemaRegistry
    let options: JSONSchemaOptions
    private(set) var nodes: [SchemaNode] = []
    private(set) var absoluteLocations: [String?] = []
    private(set) var resources: [SchemaResource] = []
    private(set) var usesDynamicScope = false
    private var nodeIDs: [NodeKey: Int] = [:]
    private var resourceIDs: [String: Int] = [:]
    private var resourcesAwaitingAnchors: [Int] = []
    private var regexes: [String: ECMARegex] = [:]

    init(registry: SchemaRegistry, options: JSONSchemaOptions) {
        self.registry = registry
        self.options = options
    }

    /// Compiles the schema at `pointer` in the registered document `documentURI`, and everything it reaches.
    /// - Throws: ``SchemaCompileError`` for malformed keywords, bad regexes and unresolvable references.
    mutating func compileRoot(documentURI: String, pointer: JSONPointer = JSONPointer([])) throws(SchemaCompileError) -> CompiledSchemaStore {
        guard let document = registry.documents[documentURI] else {
            throw SchemaCompileError(code: "unresolvable_ref", message: "no schema document \"\(documentURI)\"", schemaLocation: documentURI)
        }
        let root = try compile(document: document, pointer: pointer)
        // Every resource that took part must offer its $dynamicAnchors, which nothing else may have reached.
        while let resource = resourcesAwaitingAnchors.popLast() {
            let uri = resources[resource].uri
            guard let (owner, _) = registry.resource(uri), let anchors = owner.dynamicAnchors[uri] else { continue }
            for (name, anchorPointer) in anchors.sorted(by: { $0.key < $1.key }) {
                let node = try compile(document: owner, pointer: anchorPointer)
                resources[resource].dynamicAnchors[name] = node
            }
        }
        return CompiledSchemaStore(
            nodes: nodes,
            absoluteLocations: absoluteLocations,
            resources: resources,
            root: root,
            usesDynamicScope: usesDynamicScope
        )
    }

    /// Compiles (once) the subschema at `pointer` in `document` and returns its node index.
    mutating func compile(document: SchemaDocument, pointer: JSONPointer) throws(SchemaCompileError) -> Int {
        let key = NodeKey(document: document.retrievalURI, pointer: pointer)
        if let existing = nodeIDs[key] { return existing }
        let base = document.baseURI(at: pointer)
        guard let value = pointer.resolve(in: document.root) else {
            throw SchemaCompileError(
                code: "unresolvable_ref",
                message: "nothing exists at \(pointer) in \(document.retrievalURI)",
                schemaLocation: base + "#" + pointer.description
            )
        }
        let id = nodes.count
        nodes.append(SchemaNode())
        absoluteLocations.append(nil)
        nodeIDs[key] = id

        var node = SchemaNode()
        node.index = id
        node.resource = resourceID(base)
        if !base.isEmpty { absoluteLocations[id] = base + "#" + relativePointer(pointer, in: document, base: base).description }
        switch value {
        case .bool(true):
            break
        case .bool(false):
            node.isFalse = true
            node.keywords = [.falseSchema]
        case .object(let schema):
            let vocabularies = try vocabularies(for: document, base: base, at: pointer)
            let formatAsserts =
                vocabularies.contains(.formatAssertion)
                || (options.formatAssertion && vocabularies.contains(.formatAnnotation))
            let context = Context(
                document: document,
                pointer: pointer,
                base: base,
                vocabularies: vocabularies,
                formatAsserts: formatAsserts
            )
            node.keywords = try compileKeywords(schema, context)
            node.tracksUnevaluated = node.keywords.contains { keyword in
                switch keyword {
                case .unevaluatedItems, .unevaluatedProperties: return true
                default: return false
                }
            }
        default:
            throw SchemaCompileError(
                code: "invalid_schema",
                message: "a schema must be an object or a boolean, not \(value.typeName)",
                schemaLocation: base + "#" + pointer.description
            )
        }
        nodes[id] = node
        return id
    }

    /// Compiles the subschema at `tokens` below the current location.
    mutating func child(_ context: Context, _ tokens: String...) throws(SchemaCompileError) -> Int {
        try compile(document: context.document, pointer: JSONPointer(context.pointer.tokens + tokens))
    }

    /// A compiled regex, shared between all keywords that use the same pattern.
    mutating func regex(_ pattern: String, at location: String) throws(SchemaCompileError) -> ECMARegex {
        if let cached = regexes[pattern] { return cached }
        do {
            let compiled = try ECMARegex(pattern)
            regexes[pattern] = compiled
            return compiled
        } catch {
            throw SchemaCompileError(
                code: "invalid_regex",
                message: "\"\(pattern)\" is not a valid ECMA-262 regular expression: \(error.message)",
                schemaLocation: location
            )
        }
    }

    mutating func noteDynamicScopeUse() {
        usesDynamicScope = true
    }

    private mutating func resourceID(_ uri: String) -> Int {
        if let existing = resourceIDs[uri] { return existing }
        let id = resources.count
        resources.append(SchemaResource(uri: uri))
        resourceIDs[uri] = id
        resourcesAwaitingAnchors.append(id)
        return id
    }

    /// The pointer of `pointer` relative to the root of its resource, for absolute keyword locations.
    private func relativePointer(_ pointer: JSONPointer, in document: SchemaDocument, base: String) -> JSONPointer {
        guard let root = document.resources[base], pointer.tokens.starts(with: root.tokens) else { return pointer }
        return JSONPointer(Array(pointer.tokens.dropFirst(root.tokens.count)))
    }

    /// The vocabularies enabled by the `$schema` in force at a location.
    private func vocabularies(for document: SchemaDocument, base: String, at pointer: JSONPointer) throws(SchemaCompileError) -> Vocabularies {
        guard let dialect = document.dialect(forResource: base) else { return .standard }
        let metaURI = URIReference(dialect).withoutFragment.description
        if metaURI == draft202012MetaSchemaURI { return .standard }
        if Vocabularies.isLegacyDraft(metaURI) { return Vocabularies.standard.union(.legacyDraft) }
        // An unknown meta-schema is read as 2020-12 rather than refused: schemas in the wild often carry odd $schema values.
        guard let (metaDocument, metaPointer) = registry.resource(metaURI),
            case .object(let vocabularyMap)? = metaPointer.resolve(in: metaDocument.root)?["$vocabulary"]
        else { return .standard }
        var enabled: Vocabularies = []
        for (uri, required) in vocabularyMap {
            if let known = Vocabularies.known[uri] {
                enabled.formUnion(known)
            } else if required == .bool(true) {
                throw SchemaCompileError(
                    code: "unsupported_vocabulary",
                    message: "meta-schema \"\(metaURI)\" requires vocabulary \"\(uri)\", which this validator does not implement",
                    schemaLocation: base + "#" + pointer.description
                )
            }
        }
        return enabled
    }
}
