import Registry
import ToolhostCore

/// A tool reference resolved to one version of one tool, with its compiled schemas.
public struct ResolvedTool: Sendable {
    /// The catalog's view: name, package, version, runtime, definition.
    public var detail: ToolDetail
    /// The sha256 of the package archive, for packaged tools (nil for built-ins).
    public var archiveSHA256: String?
    /// The package's tenant-visible name and version, `acme/word-count@1.0.0`.
    public var versionLabel: String { "\(detail.package)@\(detail.version)" }
    let inputSchema: JSONSchema
    let outputSchema: JSONSchema

    public var name: String { detail.name }
    public var definition: ToolDefinition { detail.definition }
    public var privilegeLevel: PrivilegeLevel { detail.definition.privilegeLevel }
    public var isBuiltin: Bool { detail.runtime.type == .builtin }
}
