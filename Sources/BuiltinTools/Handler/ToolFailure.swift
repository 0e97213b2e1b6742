/// Why a built-in tool call failed, in words the caller can act on.
///
/// A failure is a result of the call (reported with `isError: true`), not a host error: the input
/// was valid by its schema but could not be served, a peer refused, a limit was hit.
public struct ToolFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable name for the kind of failure, recorded in the call's span as its error type.
    public struct Kind: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The input is well-formed but makes no sense (both `text` and `data`, an unknown column).
        public static let invalidArgument = Kind(rawValue: "invalid_argument")
        /// A named file, row or object does not exist.
        public static let notFound = Kind(rawValue: "not_found")
        /// The call tried to leave its confinement: a path out of the workspace, a refused address or host.
        public static let denied = Kind(rawValue: "denied")
        /// The tool's own time limit ran out (a regex, a network call, a sandboxed program).
        public static let timeout = Kind(rawValue: "timeout")
        /// A size limit was hit (a response, a file, an archive's expansion).
        public static let tooLarge = Kind(rawValue: "too_large")
        /// The call used more memory than the tool's limit allows (a value, a decompressed stream).
        public static let memoryLimit = Kind(rawValue: "memory_limit")
        /// The call used more CPU time than the tool's limit allows.
        public static let cpuTimeLimit = Kind(rawValue: "cpu_time_limit")
        /// The call would put more bytes or files in the workspace than its quota allows.
        public static let workspaceQuota = Kind(rawValue: "workspace_quota")
        /// The caller went away (its task was cancelled) and the call was stopped.
        public static let cancelled = Kind(rawValue: "cancelled")
        /// A peer (HTTP server, SMTP server, search endpoint) failed or answered with an error.
        public static let upstream = Kind(rawValue: "upstream_error")
        /// The tool needs configuration or a secret that the host does not have.
        public static let notConfigured = Kind(rawValue: "not_configured")
        /// Something that should not happen did (a bug, an I/O error of the host).
        public static let internalError = Kind(rawValue: "internal_error")

        // Failures of packaged tools, which answer through the sandbox's stdin/stdout protocol.

        /// The package's process ended without an answer: it exited non-zero, was killed, or the
        /// sandbox could not set it up.
        public static let toolFailed = Kind(rawValue: "tool_failed")
        /// The package answered `{"error": {"message": …}}`.
        public static let toolError = Kind(rawValue: "tool_error")
        /// The package printed something other than one `{"output": …}` or `{"error": …}` object.
        public static let protocolError = Kind(rawValue: "protocol_error")
        /// A tool (built-in or packaged) returned output that breaks its own outputSchema.
        public static let invalidOutput = Kind(rawValue: "invalid_output")

        // Calls behind an approval gate that never ran.

        /// An approver rejected the call.
        public static let approvalRejected = Kind(rawValue: "approval_rejected")
        /// Nobody approved the call before the approval expired.
        public static let approvalExpired = Kind(rawValue: "approval_expired")
    }

    public var kind: Kind
    /// What went wrong, naming the field, the limit, the path or the peer.
    public var message: String

    /// Creates a failure of a kind with a message that names what was wrong.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "\(kind): \(message)" }
}
