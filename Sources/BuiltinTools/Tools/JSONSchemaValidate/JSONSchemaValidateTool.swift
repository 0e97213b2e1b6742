import ToolhostCore

/// `jsonschema_validate`: checks a JSON instance against a draft 2020-12 schema with the host's own
/// validator and lists the failed assertions in the specification's "basic" output format.
public struct JSONSchemaValidateTool: BuiltinTool {
    public let name = "jsonschema_validate"

    /// The base URI given to schemas without an absolute `$id`, so that failures reached through a
    /// `$ref` can still say where the keyword is; it never appears for schemas that have an `$id`.
    static let placeholderBase = "urn:toolhost:schema"
    /// The output schema caps every string at this many characters.
    static let maximumFieldLength = 4096

    public init() {}

    /// Validates `instance` against `schema` and reports at most `maxErrors` failures.
    /// - Throws: ``ToolFailure`` `invalid_argument` naming `schema` when it is not a valid 2020-12 schema
    ///   (a malformed keyword, a bad regular expression, a `$ref` that does not resolve).
    public func run(_ input: JSONValue, in context: ToolContext) async throws(ToolFailure) -> JSONValue {
        guard let schemaDocument = input["schema"] else {
            throw ToolFailure(.invalidArgument, "schema: required")
        }
        guard let instance = input["instance"] else {
            throw ToolFailure(.invalidArgument, "instance: required")
        }
        let maxErrors = input["maxErrors"]?.intValue ?? 100
        guard maxErrors >= 1 else {
            throw ToolFailure(.invalidArgument, "maxErrors: must be at least 1, got \(maxErrors)")
        }
        let schema = try Self.compile(schemaDocument)
        let result = schema.validate(instance)
        let failures = Self.leafFailures(result.errors).sorted(by: Self.reportOrder)
        return [
            "valid": .bool(result.isValid),
            "errorCount": .int(failures.count),
            "errors": .array(failures.prefix(maxErrors).map(Self.describe)),
        ]
    }

    /// Checks `document` against the 2020-12 meta-schema, then compiles it.
    static func compile(_ document: JSONValue) throws(ToolFailure) -> JSONSchema {
        guard document.objectValue != nil || document.boolValue != nil else {
            throw ToolFailure(.invalidArgument, "schema: must be an object or a boolean, got \(document.typeName)")
        }
        let metaCheck = JSONSchema.metaSchema.validate(document)
        if !metaCheck.isValid {
            let problems = metaCheck.errors.prefix(5).map { "schema\($0.instanceLocation): \($0.message)" }
            let more = metaCheck.errors.count > 5 ? " (and \(metaCheck.errors.count - 5) more)" : ""
            throw ToolFailure(.invalidArgument, "schema is not a valid JSON Schema 2020-12: " + problems.joined(separator: "; ") + more)
        }
        do {
            return try JSONSchema(document, baseURI: placeholderBase)
        } catch {
            let location = error.schemaLocation.replacingPrefix(placeholderBase, with: "")
            throw ToolFailure(.invalidArgument, "schema is not usable (\(error.code) at \(location)): \(error.message)")
        }
    }

    /// The failures of keywords that failed by themselves: an applicator's own report (`anyOf` matching
    /// none of its subschemas) is dropped when the failures of its subschemas are listed below it.
    static func leafFailures(_ errors: [ValidationError]) -> [ValidationError] {
        errors.filter { candidate in
            !errors.contains { other in
                other.keywordLocation.hasPrefix(candidate.keywordLocation + "/")
                    && (other.instanceLocation == candidate.instanceLocation
                        || other.instanceLocation.hasPrefix(candidate.instanceLocation + "/"))
            }
        }
    }

    /// By instance location, then keyword location, comparing code points.
    static func reportOrder(_ left: ValidationError, _ right: ValidationError) -> Bool {
        if left.instanceLocation != right.instanceLocation {
            return left.instanceLocation.unicodeScalars.lexicographicallyPrecedes(right.instanceLocation.unicodeScalars)
        }
        return left.keywordLocation.unicodeScalars.lexicographicallyPrecedes(right.keywordLocation.unicodeScalars)
    }

    /// One failure as an output unit of the "basic" format.
    static func describe(_ error: ValidationError) -> JSONValue {
        var unit: [String: JSONValue] = [
            "instanceLocation": .string(capped(error.instanceLocation)),
            "keywordLocation": .string(capped(error.keywordLocation)),
            "message": .string(capped(error.message)),
        ]
        if let absolute = absoluteLocation(of: error) {
            unit["absoluteKeywordLocation"] = .string(capped(absolute))
        }
        return .object(unit)
    }

    /// The absolute keyword location, or nil where it would only repeat the keyword location: without
    /// an `$id` the placeholder base carries no information, so it is shown only after a `$ref`.
    static func absoluteLocation(of error: ValidationError) -> String? {
        guard var absolute = error.absoluteKeywordLocation else { return nil }
        // A `false` subschema (`additionalProperties: false`, `items: false`…) is reported with the
        // location of the schema that holds it, without the keyword (and property or index) leading to
        // it; add them back, as the keyword location has them.
        let keywordToken = "/" + error.keyword.replacingAll("~", with: "~0").replacingAll("/", with: "~1")
        let fragment = absolute.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).last ?? ""
        if !fragment.hasSuffix(keywordToken) {
            if error.keywordLocation.hasSuffix(keywordToken) {
                absolute += keywordToken
            } else if let lastSlash = error.keywordLocation.lastIndex(of: "/"),
                error.keywordLocation[..<lastSlash].hasSuffix(keywordToken)
            {
                absolute += keywordToken + error.keywordLocation[lastSlash...]
            }
        }
        return absolute == placeholderBase + "#" + error.keywordLocation ? nil : absolute
    }

    /// `text` cut to the output schema's limit, ending in "…" when cut.
    static func capped(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard scalars.count > maximumFieldLength else { return text }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars.prefix(maximumFieldLength - 1))
        view.append("…")
        return String(view)
    }
}

extension String {
    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }

    fileprivate func replacingPrefix(_ prefix: String, with replacement: String) -> String {
        hasPrefix(prefix) ? replacement + dropFirst(prefix.count) : self
    }
}
