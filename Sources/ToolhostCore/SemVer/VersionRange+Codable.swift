extension VersionRange: Codable {
    /// Decodes a range from a single string such as `"^1.2.0"`.
    ///
    /// - Throws: `DecodingError.dataCorrupted` when the value is not a string holding a valid range; its
    ///   `underlyingError` is the ``VersionParseError``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try VersionRange(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: container.codingPath, debugDescription: error.description, underlyingError: error)
            )
        }
    }

    /// Encodes the range as the text the user wrote (its ``description``), which parses back to an equal range.
    ///
    /// - Throws: Whatever the encoder throws for a single string value.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
