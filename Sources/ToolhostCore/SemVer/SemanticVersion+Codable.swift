extension SemanticVersion: Codable {
    /// Decodes a version from a single string such as `"1.2.3-beta.1"`.
    ///
    /// - Throws: `DecodingError.dataCorrupted` when the value is not a string holding a valid version; its
    ///   `underlyingError` is the ``VersionParseError``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try SemanticVersion(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: container.codingPath, debugDescription: error.description, underlyingError: error)
            )
        }
    }

    /// Encodes the version as its ``description`` string.
    ///
    /// - Throws: Whatever the encoder throws for a single string value.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
