import ToolhostCore

/// The one rule a publisher's namespace follows wherever a tenant claims one: publishing a package
/// and registering a signing key.
public enum PackageNamespace {
    /// The namespace of Toolhost's own tools; no tenant may claim it.
    public static let reserved: Set<String> = [QualifiedToolName.builtinNamespace]

    /// The rule in words, for messages.
    public static let ruleDescription = "1-39 lowercase letters, digits and hyphens, not starting with a hyphen"

    /// The manifest schema's `name` property, compiled. A namespace is well-formed when
    /// `namespace/package` can be a package's name, so the pattern lives in the schema alone.
    private static let nameSchema: JSONSchema? = ManifestSchema.document["properties"]?["name"].flatMap { try? JSONSchema($0) }

    /// Checks that `namespace` is well-formed and not reserved.
    /// - Throws: ``ToolhostError`` `invalid_input` naming the namespace and the rule (422), or
    ///   `forbidden` for a reserved namespace (403).
    public static func check(_ namespace: String) throws(ToolhostError) {
        guard let nameSchema else {
            throw ToolhostError(.internalError, "the manifest schema has no usable `name` property; run `make embed`")
        }
        guard nameSchema.isValid(.string("\(namespace)/package")) else {
            throw ToolhostError(.invalidInput, "the namespace \"\(namespace)\" is not valid: a namespace is \(ruleDescription)",
                                details: ["namespace": .string(namespace), "publishCode": "invalid_namespace"])
        }
        guard !reserved.contains(namespace) else {
            throw ToolhostError(.forbidden, "the namespace \"\(namespace)\" is reserved for Toolhost's own tools",
                                details: ["namespace": .string(namespace), "publishCode": "reserved_namespace"])
        }
    }
}
