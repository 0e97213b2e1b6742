/// The schema documents that `$ref`s may point to, by URI.
///
/// References are resolved against the registry at compile time only; nothing is fetched from the
/// network. ``standard`` already holds the 2020-12 meta-schema and its seven vocabulary meta-schemas.
public struct SchemaRegistry: Sendable {
    /// Retrieval URI → document.
    var documents: [String: SchemaDocument] = [:]
    /// Base URI of every schema resource in every document → the retrieval URI of its document.
    var resourceDocuments: [String: String] = [:]

    /// Creates an empty registry.
    public init() {}

    /// The registry with the official 2020-12 meta-schemas, built once from the copies embedded in the library.
    public static let standard: SchemaRegistry = {
        var registry = SchemaRegistry()
        for (uri, text) in EmbeddedMetaSchemas.documents {
            // The embedded texts are fixed at build time and covered by tests, so failing here is a build defect.
            let document = try! JSONValue(parsing: text)
            try! registry.add(document, retrievalURI: uri)
        }
        return registry
    }()

    /// Adds a schema document so that `$ref`s to `retrievalURI`, or to any `$id` inside it, resolve to it.
    ///
    /// A later document replaces an earlier one with the same URI.
    /// - Throws: ``SchemaCompileError`` "invalid_uri" for a retrieval URI with a fragment,
    ///   "invalid_schema" for a malformed `$id`/`$anchor`, "duplicate_resource" for an `$id` repeated in the document.
    public mutating func add(_ document: JSONValue, retrievalURI: String) throws(SchemaCompileError) {
        let reference = URIReference(retrievalURI)
        if let fragment = reference.fragment, !fragment.isEmpty {
            throw SchemaCompileError(
                code: "invalid_uri",
                message: "retrieval URI \"\(retrievalURI)\" must not have a fragment",
                schemaLocation: retrievalURI
            )
        }
        let key = reference.withoutFragment.description
        let indexed = try SchemaDocument(root: document, retrievalURI: key)
        if let previous = documents[key] {
            for uri in previous.resources.keys where resourceDocuments[uri] == key { resourceDocuments[uri] = nil }
        }
        documents[key] = indexed
        for uri in indexed.resources.keys { resourceDocuments[uri] = key }
    }

    /// The document holding the resource `uri` (no fragment), and the pointer of that resource's root.
    func resource(_ uri: String) -> (document: SchemaDocument, pointer: JSONPointer)? {
        guard let key = resourceDocuments[uri], let document = documents[key], let pointer = document.resources[uri] else { return nil }
        return (document, pointer)
    }
}
