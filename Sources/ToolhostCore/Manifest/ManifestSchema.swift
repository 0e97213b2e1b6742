/// The JSON Schema every `toolhost.json` must satisfy.
///
/// The source of truth is `Registry/schema/toolhost.schema.json`; `make embed` copies it into
/// `ManifestSchema+Embedded.swift` so the library needs no file at run time, and a test fails when
/// the two drift apart.
public enum ManifestSchema {
    /// The schema document.
    public static let document: JSONValue = {
        do {
            return try JSONValue(parsing: embeddedText)
        } catch {
            fatalError("the embedded manifest schema is not valid JSON: \(error); run `make embed`")
        }
    }()

    /// The schema, compiled once for every manifest that is checked.
    public static let compiled: JSONSchema = {
        do {
            return try JSONSchema(document)
        } catch {
            fatalError("the embedded manifest schema does not compile: \(error); run `make embed`")
        }
    }()
}
