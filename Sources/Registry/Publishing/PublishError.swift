import ToolhostCore

/// Why a package cannot be published: a stable code, a message that names the entry, tool or limit
/// concerned, and structured details for scripts.
///
/// Every code maps to one HTTP status (``Code/httpStatus``): the size and count caps are
/// `413 Content Too Large`, everything else (hostile paths, links, special files, a bad signature,
/// an understated privilege level, a breaking change) is `422 Unprocessable Content`, and the few
/// local I/O failures of packing and key files are `500`. ``toolhostError`` turns it into the
/// ``ToolhostError`` that the CLI and the rest of the host report.
public struct PublishError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of refusal this is; decides the HTTP status.
    public struct Code: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
        /// The wire name, e.g. `path_traversal`.
        public var rawValue: String
        /// Creates a code from its wire name, e.g. `path_traversal`.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The wire name.
        public var description: String { rawValue }

        // MARK: Size and count caps (413)

        /// The archive itself is larger than the compressed-size cap.
        public static let tooLarge = Code(rawValue: "too_large")
        /// The files add up to more than the expanded-size cap.
        public static let expandedTooLarge = Code(rawValue: "expanded_too_large")
        /// One file is larger than the per-file cap.
        public static let fileTooLarge = Code(rawValue: "file_too_large")
        /// `toolhost.json` is larger than the manifest cap.
        public static let manifestTooLarge = Code(rawValue: "manifest_too_large")
        /// The archive expands to more than the allowed multiple of its own size (a decompression bomb).
        public static let expansionRatio = Code(rawValue: "expansion_ratio")
        /// The archive has more entries than the entry cap.
        public static let tooManyEntries = Code(rawValue: "too_many_entries")

        // MARK: Hostile or malformed content (422)

        /// A path has a `..` component.
        public static let pathTraversal = Code(rawValue: "path_traversal")
        /// A path starts with `/`.
        public static let absolutePath = Code(rawValue: "absolute_path")
        /// A path is empty, not UTF-8, or has a backslash, a NUL or another control character, or a `.` or empty component.
        public static let invalidPath = Code(rawValue: "invalid_path")
        /// A path is longer than the path-length cap.
        public static let pathTooLong = Code(rawValue: "path_too_long")
        /// A path has more components than the depth cap.
        public static let pathTooDeep = Code(rawValue: "path_too_deep")
        /// A symbolic link points outside the package (absolute, or climbing above its root).
        public static let linkOutside = Code(rawValue: "link_outside")
        /// A symbolic link that stays inside the package; packages carry files only.
        public static let symlink = Code(rawValue: "symlink")
        /// A hard link; always refused.
        public static let hardlink = Code(rawValue: "hardlink")
        /// A device node, FIFO, socket or an entry of unknown type.
        public static let specialFile = Code(rawValue: "special_file")
        /// An entry with the setuid, setgid or sticky bit.
        public static let setuid = Code(rawValue: "setuid")
        /// Two entries with the same path.
        public static let duplicateEntry = Code(rawValue: "duplicate_entry")
        /// A path is used both as a file and as a directory (`a` and `a/b`).
        public static let pathConflict = Code(rawValue: "path_conflict")
        /// An entry is encrypted; the registry cannot inspect it.
        public static let encryptedEntry = Code(rawValue: "encrypted_entry")
        /// There is no `toolhost.json` file at the root of the archive.
        public static let missingManifest = Code(rawValue: "missing_manifest")
        /// The bytes are not a readable `.tar.gz` or `.zip` archive.
        public static let invalidArchive = Code(rawValue: "invalid_archive")
        /// A signature does not verify against the publisher's key, or is not a signature at all.
        public static let badSignature = Code(rawValue: "bad_signature")
        /// A key or key file is malformed, of another algorithm, or not private enough.
        public static let invalidKey = Code(rawValue: "invalid_key")
        /// A digest is not 64 lowercase hex digits.
        public static let invalidDigest = Code(rawValue: "invalid_digest")
        /// A tool declares a privilege level below the one its permissions and annotations need.
        public static let understatedPrivilege = Code(rawValue: "understated_privilege")
        /// A version breaks its predecessor's contract without the major (for 0.x: minor) bump it needs.
        public static let breakingChange = Code(rawValue: "breaking_change")

        // MARK: Local failures (500)

        /// A local file (a package directory being packed, a key file) could not be read or written.
        public static let io = Code(rawValue: "io_error")

        /// The HTTP status the server reports this code with: 413 for the size and count caps,
        /// 500 for ``io``, 422 for everything else.
        public var httpStatus: Int {
            switch self {
            case .tooLarge, .expandedTooLarge, .fileTooLarge, .manifestTooLarge, .expansionRatio, .tooManyEntries: 413
            case .io: 500
            default: 422
            }
        }
    }

    /// What kind of refusal this is.
    public var code: Code
    /// What was wrong, naming the entry, tool or limit, in words a publisher can act on.
    public var message: String
    /// The archive entry concerned, as written in the archive, when there is one.
    public var entry: String?
    /// Structured details for scripts: the limit, the reasons, the list of changes.
    public var details: JSONValue?

    /// Creates an error; `entry` names the archive entry concerned, `details` carries structured data.
    public init(_ code: Code, _ message: String, entry: String? = nil, details: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.entry = entry
        self.details = details
    }

    /// The HTTP status of ``code``.
    public var httpStatus: Int { code.httpStatus }

    /// `code: message`, as logs and the CLI show it.
    public var description: String { "\(code): \(message)" }

    /// The error as the rest of Toolhost reports it.
    ///
    /// Size refusals become `payload_too_large` (413), manifest-level refusals
    /// (`understated_privilege`, `breaking_change`, `missing_manifest`) `invalid_manifest`, and
    /// everything else `invalid_input` (422): the mapped code's status is the publish code's own.
    /// The publish code travels in `details.publishCode`.
    public var toolhostError: ToolhostError {
        let mapped: ToolhostError.Code =
            switch httpStatus {
            case 413: .payloadTooLarge
            case 500: .storage
            default:
                switch code {
                case .understatedPrivilege, .breakingChange, .missingManifest: .invalidManifest
                default: .invalidInput
                }
            }
        var members: [String: JSONValue] = ["publishCode": .string(code.rawValue)]
        if let entry { members["entry"] = .string(entry) }
        if let details { members["details"] = details }
        return ToolhostError(mapped, message, details: .object(members))
    }
}
