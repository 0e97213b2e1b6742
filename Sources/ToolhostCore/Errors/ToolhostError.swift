/// An error that a Toolhost user can act on: a stable code, a message that names what was wrong
/// (the file, the field, the limit), and optional structured details.
///
/// Every error maps to exactly one HTTP status and one CLI exit code through its ``Code``, so the
/// server and the CLI report the same failure the same way.
public struct ToolhostError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is; decides the HTTP status and the CLI exit code.
    public struct Code: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The input (a file, a request body, an argument) is malformed or breaks a schema.
        public static let invalidInput = Code(rawValue: "invalid_input")
        /// A manifest is malformed or inconsistent.
        public static let invalidManifest = Code(rawValue: "invalid_manifest")
        /// A JSON Schema could not be compiled or is not a valid 2020-12 schema.
        public static let invalidSchema = Code(rawValue: "invalid_schema")
        /// A validated instance does not conform to its schema.
        public static let validationFailed = Code(rawValue: "validation_failed")
        /// The named tool, package or version does not exist (or is not visible to the caller).
        public static let notFound = Code(rawValue: "not_found")
        /// The object already exists (for example a published version) or changed underneath.
        public static let conflict = Code(rawValue: "conflict")
        /// No valid credentials were given.
        public static let unauthorized = Code(rawValue: "unauthorized")
        /// The credentials do not allow this (scope, privilege level, another tenant's namespace).
        public static let forbidden = Code(rawValue: "forbidden")
        /// The request body is larger than the limit.
        public static let payloadTooLarge = Code(rawValue: "payload_too_large")
        /// The storage (database, blobs, data directory) failed.
        public static let storage = Code(rawValue: "storage_error")
        /// The tool's circuit breaker is open after repeated failures; retry after its cool-down.
        public static let circuitOpen = Code(rawValue: "circuit_open")
        /// A bug: something that should not happen did.
        public static let internalError = Code(rawValue: "internal_error")
        /// The HTTP layer refused the request itself (a malformed request line, a method the route
        /// does not take); the status is the one it chose.
        public static let httpError = Code(rawValue: "http_error")

        /// The HTTP status this code is reported with.
        public var httpStatus: Int {
            switch self {
            case .invalidInput, .invalidManifest, .invalidSchema, .validationFailed: 422
            case .unauthorized: 401
            case .forbidden: 403
            case .notFound: 404
            case .conflict: 409
            case .payloadTooLarge: 413
            case .circuitOpen: 503
            case .httpError: 400
            default: 500
            }
        }

        /// The exit code of the `toolhost` CLI for this code (see the README's table).
        public var exitCode: Int32 {
            switch self {
            case .invalidInput, .invalidManifest, .invalidSchema, .validationFailed, .payloadTooLarge, .httpError: 1
            case .notFound: 3
            case .conflict: 4
            case .unauthorized, .forbidden: 5
            case .storage: 6
            case .circuitOpen: 8
            default: 10
            }
        }
    }

    public var code: Code
    public var message: String
    /// Structured details for scripts, e.g. the list of schema errors.
    public var details: JSONValue?
    /// When trying again makes sense, in seconds (an open circuit's cool-down); the HTTP API sends it
    /// as `Retry-After`.
    public var retryAfterSeconds: Int?

    /// Creates an error with a code, a message that says what was wrong, and optional details.
    public init(_ code: Code, _ message: String, details: JSONValue? = nil, retryAfterSeconds: Int? = nil) {
        self.code = code
        self.message = message
        self.details = details
        self.retryAfterSeconds = retryAfterSeconds
    }

    public var description: String { "\(code): \(message)" }
}
