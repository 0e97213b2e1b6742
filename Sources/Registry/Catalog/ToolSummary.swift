import ToolhostCore

/// A tool as listed in search results: enough to choose it, not its schemas.
public struct ToolSummary: Sendable, Hashable, Codable {
    /// The name a caller uses: the bare tool name for built-ins (`hash_digest`), otherwise
    /// `namespace/package/tool`.
    public var name: String
    public var package: String
    public var version: SemanticVersion
    public var title: String
    public var description: String
    public var privilegeLevel: PrivilegeLevel
    public var annotations: ToolAnnotations
    public var isBuiltin: Bool
    /// True when the package version is deprecated.
    public var deprecated: Bool
}

/// A tool with everything a caller needs: its whole definition and where it comes from.
public struct ToolDetail: Sendable, Hashable, Codable {
    public var name: String
    public var package: String
    public var version: SemanticVersion
    /// Every version of the package, newest first, yanked ones flagged.
    public var versions: [PackageVersionInfo]
    public var runtime: Runtime
    public var license: String
    public var definition: ToolDefinition
}

/// One version of a package as the catalog keeps it.
public struct PackageVersionInfo: Sendable, Hashable, Codable {
    public var version: SemanticVersion
    public var yanked: Bool
    public var deprecationMessage: String?
}

/// The name a caller uses for a tool of a package.
public enum QualifiedToolName {
    /// The namespace of Toolhost's own tools, whose tools are called by their bare names.
    public static let builtinNamespace = "toolhost"

    /// `hash_digest` for a built-in, `acme/word-count/count` for a community package's tool.
    public static func make(package: String, namespace: String, tool: String) -> String {
        namespace == builtinNamespace ? tool : "\(package)/\(tool)"
    }
}
