/// The error thrown when a semantic version or a version range cannot be parsed.
///
/// It carries what a user needs to fix their input: which text failed, what is wrong with it and where.
/// Both codes describe bad input from a caller, so an API maps them to HTTP 400 and the CLI to a usage error.
///
/// ```swift
/// do {
///     _ = try SemanticVersion(parsing: "1.02.3")
/// } catch {
///     print(error.message)  // minor version '02' has a leading zero at offset 2
/// }
/// ```
public struct VersionParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The code for text that is not a SemVer 2.0.0 version.
    public static let invalidVersion = "invalid_version"
    /// The code for text that is not a version range.
    public static let invalidRange = "invalid_range"

    /// A stable, machine-readable code: ``invalidVersion`` (`"invalid_version"`) or ``invalidRange`` (`"invalid_range"`).
    public var code: String
    /// The text that failed to parse, as it was given (cut to its first 64 characters when it was too long to parse at all).
    public var input: String
    /// What is wrong and where, for a person: for example `"minor version '02' has a leading zero at offset 2"`.
    public var message: String
    /// The 0-based position in ``input`` where the problem starts, when there is one place to point at.
    ///
    /// Positions count Unicode scalars, which is the same as characters for the ASCII text that versions are made of.
    public var offset: Int?

    /// Creates an error from its parts.
    public init(code: String, input: String, message: String, offset: Int? = nil) {
        self.code = code
        self.input = input
        self.message = message
        self.offset = offset
    }

    /// A one-line summary such as `invalid version "1.02.3": minor version '02' has a leading zero at offset 2`.
    public var description: String {
        let noun = code == Self.invalidRange ? "range" : "version"
        return "invalid \(noun) \"\(input)\": \(message)"
    }
}
