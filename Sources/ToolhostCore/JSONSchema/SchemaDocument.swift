/// A schema document in a registry, with the identifiers found in it.
struct SchemaDocument: Sendable {
    /// The whole document as retrieved.
    let root: JSONValue
    /// The URI the document was retrieved from (its registry key).
    let retrievalURI: String
    /// Each schema resource's base URI (from `$id`) → the pointer of its root in this document.
    var resources: [String: JSONPointer] = [:]
    /// "baseURI#name" for each `$anchor` and `$dynamicAnchor` → the pointer of the schema declaring it.
    var anchors: [String: JSONPointer] = [:]
    /// Resource base URI → `$dynamicAnchor` name → pointer.
    var dynamicAnchors: [String: [String: JSONPointer]] = [:]
    /// Pointer of every subschema reachable through known keywords → the base URI in force there.
    var baseURIs: [JSONPointer: String] = [:]
    /// Resource base URI → the `$schema` declared at the resource root, when there is one.
    var dialects: [String: String] = [:]

    /// Indexes `root`, whose base URI before any `$id` is `retrievalURI`.
    /// - Throws: ``SchemaCompileError`` "invalid_schema" for a non-string `$id`/`$anchor`, "duplicate_resource" for a repeated `$id`.
    init(root: JSONValue, retrievalURI: String) throws(SchemaCompileError) {
        self.root = root
        self.retrievalURI = retrievalURI
        resources[retrievalURI] = JSONPointer([])
        try index(root, at: [], base: retrievalURI)
    }

    private mutating func index(_ value: JSONValue, at path: [String], base inherited: String) throws(SchemaCompileError) {
        guard case .object(let schema) = value else {
            if case .bool = value { baseURIs[JSONPointer(path)] = inherited }
            return
        }
        var base = inherited
        let pointer = JSONPointer(path)
        if let id = schema["$id"] {
            guard case .string(let text) = id else {
                throw SchemaCompileError(code: "invalid_schema", message: "$id must be a string", schemaLocation: location(pointer, base))
            }
            let reference = URIReference(text)
            // An $id that is only a fragment was an anchor in older drafts; it does not start a resource.
            if !(reference.scheme == nil && reference.authority == nil && reference.path.isEmpty && reference.query == nil) {
                base = reference.resolved(against: URIReference(inherited)).withoutFragment.description
                if let existing = resources[base], existing != pointer, !path.isEmpty {
                    throw SchemaCompileError(
                        code: "duplicate_resource",
                        message: "$id \"\(base)\" is declared more than once in the document",
                        schemaLocation: location(pointer, inherited)
                    )
                }
                resources[base] = pointer
            }
        }
        baseURIs[pointer] = base
        if case .string(let dialect)? = schema["$schema"] { dialects[base] = dialect }
        for keyword in ["$anchor", "$dynamicAnchor"] {
            guard let anchor = schema[keyword] else { continue }
            guard case .string(let name) = anchor, Self.isValidAnchor(name) else {
                throw SchemaCompileError(
                    code: "invalid_schema",
                    message: "\(keyword) must be a plain name like \"node\"",
                    schemaLocation: location(pointer, base)
                )
            }
            anchors[base + "#" + name] = pointer
            if keyword == "$dynamicAnchor" { dynamicAnchors[base, default: [:]][name] = pointer }
        }
        try SchemaKeywords.forEachSubschema(of: schema) { (tokens, child) throws(SchemaCompileError) in
            try index(child, at: path + tokens, base: base)
        }
    }

    /// Anchors are XML NCName-like: a letter or "_" followed by letters, digits, "-", "_" or ".".
    static func isValidAnchor(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.properties.isAlphabetic || first == "_" else { return false }
        return name.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0.properties.numericType != nil || "-_.".unicodeScalars.contains($0) }
    }

    /// The base URI in force at `pointer`: its own when indexed, else the nearest indexed ancestor's
    /// (for subschemas reached by a `$ref` into an unknown keyword).
    func baseURI(at pointer: JSONPointer) -> String {
        var tokens = pointer.tokens
        while true {
            if let base = baseURIs[JSONPointer(tokens)] { return base }
            if tokens.isEmpty { return retrievalURI }
            tokens.removeLast()
        }
    }

    /// The `$schema` in force for the resource `base`: its own, or the document root's.
    func dialect(forResource base: String) -> String? {
        if let own = dialects[base] { return own }
        if case .string(let rootDialect)? = root["$schema"] { return rootDialect }
        return nil
    }

    func location(_ pointer: JSONPointer, _ base: String) -> String {
        base + "#" + pointer.description
    }
}
