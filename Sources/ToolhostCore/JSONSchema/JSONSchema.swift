/// Options for compiling a ``JSONSchema``.
public struct JSONSchemaOptions: Sendable {
    /// Whether `format` is an assertion (an instance with a malformed "date-time" fails) rather than an annotation.
    ///
    /// Off by default, as 2020-12 specifies; a meta-schema with the format-assertion vocabulary turns it on regardless.
    public var formatAssertion = false

    /// Creates the default options.
    public init() {}
}

/// A compiled JSON Schema (draft 2020-12): compile once, validate many times.
///
/// Compilation resolves every `$ref` (against the schema itself and the ``SchemaRegistry``), compiles
/// every regular expression and checks keyword shapes, so validation does no parsing or lookups.
///
/// ```swift
/// let schema = try JSONSchema(["type": "object", "required": ["name"]])
/// schema.isValid(["name": "grep"])                 // true
/// schema.validate([:]).errors.first?.message      // "missing required property \"name\""
/// ```
public struct JSONSchema: Sendable {
    private let store: CompiledSchemaStore

    /// Compiles `schema`.
    /// - Parameters:
    ///   - schema: the schema document (an object or a boolean).
    ///   - baseURI: the URI the document was retrieved from; relative `$id`s and `$ref`s resolve against it (or against the root `$id`).
    ///   - registry: other documents `$ref`s may point to; ``SchemaRegistry/standard`` holds the 2020-12 meta-schemas.
    ///   - options: see ``JSONSchemaOptions``.
    /// - Throws: ``SchemaCompileError`` — "invalid_schema" for a malformed keyword, "invalid_regex" for a pattern
    ///   that is not ECMA-262, "unresolvable_ref" for a `$ref` to an unknown URI, anchor or location.
    public init(
        _ schema: JSONValue,
        baseURI: String? = nil,
        registry: SchemaRegistry = .standard,
        options: JSONSchemaOptions = .init()
    ) throws(SchemaCompileError) {
        var registry = registry
        let retrievalURI = URIReference(baseURI ?? "").withoutFragment.description
        try registry.add(schema, retrievalURI: retrievalURI)
        var compiler = SchemaCompiler(registry: registry, options: options)
        store = try compiler.compileRoot(documentURI: retrievalURI)
    }

    /// Validates `instance`, listing every failed assertion with its instance and keyword location.
    ///
    /// Valid instances cost the same as ``isValid(_:)``: the error-collecting pass runs only on failure.
    public func validate(_ instance: JSONValue) -> ValidationResult {
        if isValid(instance) { return ValidationResult(isValid: true, errors: []) }
        var evaluator = SchemaEvaluator(store: store, reportsErrors: true)
        var evaluated = EvaluatedLocations()
        let valid = evaluator.evaluate(store.root, instance, &evaluated, tracking: false)
        return ValidationResult(isValid: valid, errors: evaluator.errors)
    }

    /// Whether `instance` is valid; stops at the first failure and builds no messages.
    public func isValid(_ instance: JSONValue) -> Bool {
        var evaluator = SchemaEvaluator(store: store, reportsErrors: false)
        var evaluated = EvaluatedLocations()
        return evaluator.evaluate(store.root, instance, &evaluated, tracking: false)
    }

    /// The 2020-12 meta-schema, compiled: `JSONSchema.metaSchema.validate(document)` checks that `document` is a valid 2020-12 schema.
    public static let metaSchema: JSONSchema = {
        // The embedded meta-schema is fixed at build time and covered by tests, so failing here is a build defect.
        let document = SchemaRegistry.standard.documents[draft202012MetaSchemaURI]!.root
        return try! JSONSchema(document, baseURI: draft202012MetaSchemaURI)
    }()
}
