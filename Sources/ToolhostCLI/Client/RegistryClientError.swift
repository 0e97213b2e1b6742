import Foundation
import ToolhostCore

extension ToolhostError.Code {
    /// The server could not be reached: no connection, or no answer within the timeout (CLI exit 7).
    static let serverUnreachable = ToolhostError.Code(rawValue: "server_unreachable")
    /// The server answered, but not with the HTTP or JSON this client expects.
    static let badResponse = ToolhostError.Code(rawValue: "bad_response")
}

/// Why a request to the registry server failed: the server's own error (its code, message,
/// details and HTTP status), or a failure to reach it or to understand its answer.
///
/// Each maps to one exit code: the server's status as ``ToolhostError/Code/exitCode`` maps the
/// matching code (401/403 → 5, 404 → 3, 409 → 4, 400/413/422 → 1, a storage failure → 6),
/// `server_unreachable` → 7, anything else → 10.
struct RegistryClientError: Error, Sendable, CustomStringConvertible {
    /// The server's error code (`invalid_input`, `conflict`…) or `server_unreachable` / `bad_response`.
    var code: ToolhostError.Code
    var message: String
    /// The server's `details`, with `url` and `status` added.
    var details: JSONValue?
    /// The HTTP status of the server's answer; nil when there was none.
    var status: Int?
    /// The URL of the failed request.
    var url: URL

    /// A failure on the client's side of the wire.
    init(_ code: ToolhostError.Code, _ message: String, url: URL) {
        self.code = code
        self.message = message
        self.url = url
        details = ["url": .string(url.absoluteString)]
    }

    /// The server's answer with a non-2xx `status`, read as `{"error": {"code", "message", "details"}}`.
    init(status: Int, body: Data, url: URL) {
        self.status = status
        self.url = url
        let error = (try? JSONValue(parsing: body))?["error"]
        code = ToolhostError.Code(rawValue: error?["code"]?.stringValue ?? Self.code(forStatus: status).rawValue)
        message = error?["message"]?.stringValue
            ?? "HTTP \(status) from \(url.absoluteString): \(String(decoding: body.prefix(200), as: UTF8.self))"
        var members = error?["details"]?.objectValue ?? [:]
        members["status"] = .int(status)
        members["url"] = .string(url.absoluteString)
        details = .object(members)
    }

    /// The most specific code the server gave: a publishing step's own code (`bad_signature`,
    /// `path_traversal`…) when there is one, else the error's code.
    var specificCode: String {
        details?["publishCode"]?.stringValue ?? code.rawValue
    }

    /// The CLI's exit code for this failure.
    var exitCode: Int32 {
        if code == .serverUnreachable { return 7 }
        guard let status else { return 10 }
        if status >= 500 { return code == .storage ? 6 : 10 }
        return Self.code(forStatus: status).exitCode
    }

    /// The ``ToolhostError`` code of an HTTP status, so that the server's failures exit as the same
    /// failures found locally do.
    static func code(forStatus status: Int) -> ToolhostError.Code {
        switch status {
        case 400, 422: .invalidInput
        case 401: .unauthorized
        case 403: .forbidden
        case 404: .notFound
        case 409: .conflict
        case 413: .payloadTooLarge
        default: .internalError
        }
    }

    /// `code: message`, as the CLI prints it; the specific code tells a script what to fix.
    var description: String { "\(specificCode): \(message)" }
}
