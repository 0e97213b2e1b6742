/// The 2020-12 vocabularies a schema's meta-schema enables, plus the dialect quirks of older drafts.
///
/// A meta-schema's `$vocabulary` decides which keywords mean anything: without the validation
/// vocabulary, `minimum` is just an unknown keyword.
struct Vocabularies: OptionSet, Sendable, Hashable {
    let rawValue: UInt16
    static let applicator = Vocabularies(rawValue: 1 << 0)
    static let unevaluated = Vocabularies(rawValue: 1 << 1)
    static let validation = Vocabularies(rawValue: 1 << 2)
    static let formatAnnotation = Vocabularies(rawValue: 1 << 3)
    static let formatAssertion = Vocabularies(rawValue: 1 << 4)
    static let content = Vocabularies(rawValue: 1 << 5)
    static let metaData = Vocabularies(rawValue: 1 << 6)
    /// Not a vocabulary: the schema is a pre-2020-12 draft (array `items`, `additionalItems`, `dependencies`, no `$dynamicRef`).
    static let legacyDraft = Vocabularies(rawValue: 1 << 8)

    init(rawValue: UInt16) { self.rawValue = rawValue }

    /// What the standard 2020-12 meta-schema enables.
    static let standard: Vocabularies = [.applicator, .unevaluated, .validation, .formatAnnotation, .content, .metaData]

    /// Vocabulary URIs this implementation understands; "core" is always on and has no bit.
    static let known: [String: Vocabularies] = [
        "https://json-schema.org/draft/2020-12/vocab/core": [],
        "https://json-schema.org/draft/2020-12/vocab/applicator": .applicator,
        "https://json-schema.org/draft/2020-12/vocab/unevaluated": .unevaluated,
        "https://json-schema.org/draft/2020-12/vocab/validation": .validation,
        "https://json-schema.org/draft/2020-12/vocab/format-annotation": .formatAnnotation,
        "https://json-schema.org/draft/2020-12/vocab/format-assertion": .formatAssertion,
        "https://json-schema.org/draft/2020-12/vocab/content": .content,
        "https://json-schema.org/draft/2020-12/vocab/meta-data": .metaData,
    ]

    /// `$schema` values of earlier drafts, which are read with their own `items`/`dependencies` rules.
    static func isLegacyDraft(_ metaSchemaURI: String) -> Bool {
        let uri = metaSchemaURI.hasSuffix("#") ? String(metaSchemaURI.dropLast()) : metaSchemaURI
        return uri == "https://json-schema.org/draft/2019-09/schema" || uri.hasPrefix("http://json-schema.org/draft-0")
            || uri == "http://json-schema.org/schema"
    }
}

/// The standard 2020-12 meta-schema URI.
let draft202012MetaSchemaURI = "https://json-schema.org/draft/2020-12/schema"
