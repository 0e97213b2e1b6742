/// The outcome of validating one instance.
public struct ValidationResult: Sendable {
    /// Whether the instance is valid; equivalent to `errors.isEmpty`.
    public var isValid: Bool
    /// The failures, in schema order; empty when valid.
    public var errors: [ValidationError]

    /// Creates a result.
    public init(isValid: Bool, errors: [ValidationError]) {
        self.isValid = isValid
        self.errors = errors
    }
}

/// One failed assertion: where in the instance, which keyword, and why.
public struct ValidationError: Sendable, Hashable, Codable, CustomStringConvertible {
    /// JSON Pointer into the instance, e.g. "/tools/0/name"; "" for the whole instance.
    public var instanceLocation: String
    /// JSON Pointer of the keyword along the evaluation path, through `$ref`, e.g. "/properties/tools/items/$ref/required".
    public var keywordLocation: String
    /// Absolute URI with fragment of the keyword, when the schema resource has a base URI.
    public var absoluteKeywordLocation: String?
    /// The keyword that failed, e.g. "required".
    public var keyword: String
    /// A sentence for humans, e.g. `missing required property "name"`.
    public var message: String

    /// Creates an error.
    public init(instanceLocation: String, keywordLocation: String, absoluteKeywordLocation: String? = nil, keyword: String, message: String) {
        self.instanceLocation = instanceLocation
        self.keywordLocation = keywordLocation
        self.absoluteKeywordLocation = absoluteKeywordLocation
        self.keyword = keyword
        self.message = message
    }

    /// "/tools/0: missing required property "name" (at /properties/tools/items/required)"; the root instance shows as "/".
    public var description: String {
        "\(instanceLocation.isEmpty ? "/" : instanceLocation): \(message) (at \(keywordLocation.isEmpty ? "/" : keywordLocation))"
    }
}
