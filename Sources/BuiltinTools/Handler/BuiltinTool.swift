import ToolhostCore

/// A tool implemented in Swift inside the host (manifest runtime `builtin`).
///
/// The host calls `run` only with input that already conforms to the tool's `inputSchema`, and
/// checks the returned value against its `outputSchema`; a handler checks only what a schema cannot
/// say (for example "exactly one of `text` and `data`"). Defaults written in the schema are not
/// filled in by the host, so a handler applies them itself.
public protocol BuiltinTool: Sendable {
    /// The tool's name, as in its manifest (`hash_digest`).
    var name: String { get }

    /// Runs the tool once.
    /// - Throws: ``ToolFailure`` when the call cannot produce a result; the host reports it as a tool
    ///   error (`isError`), never as a crash of the host.
    func run(_ input: JSONValue, in context: ToolContext) async throws(ToolFailure) -> JSONValue
}
