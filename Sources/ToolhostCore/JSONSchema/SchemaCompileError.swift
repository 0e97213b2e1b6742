/// Why a schema could not be compiled.
public struct SchemaCompileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable identifier: "invalid_schema", "invalid_regex", "unresolvable_ref", "invalid_uri",
    /// "unsupported_vocabulary" or "duplicate_resource".
    public var code: String
    /// A sentence a schema author can act on.
    public var message: String
    /// Where in the schema the problem is, as "baseURI#/json/pointer" ("#/properties/a/pattern" when the schema has no base URI).
    public var schemaLocation: String

    /// Creates an error.
    public init(code: String, message: String, schemaLocation: String) {
        self.code = code
        self.message = message
        self.schemaLocation = schemaLocation
    }

    /// "invalid_regex at #/properties/name/pattern: …".
    public var description: String { "\(code) at \(schemaLocation): \(message)" }
}
