import ToolhostCore

/// A search of the catalog: free text plus filters that every result must pass.
public struct ToolSearchQuery: Sendable, Hashable {
    /// Words matched against name, title, description and keywords (prefixes and stems count);
    /// exact name matches rank first. Empty lists every tool by name.
    public var text = ""
    /// Only tools at or below this level.
    public var maxPrivilege: PrivilegeLevel?
    /// Filters on MCP annotations; `nil` means either.
    public var readOnly: Bool?
    public var destructive: Bool?
    public var idempotent: Bool?
    public var openWorld: Bool?
    /// Capability filters over the schemas: the tool's input has each of these properties.
    public var takes: [PropertyRequirement] = []
    /// The tool's output has each of these properties.
    public var returns: [PropertyRequirement] = []
    public var limit = 50
    public var offset = 0
    /// The tenant whose private packages are visible besides every public one; nil sees everything
    /// (the local CLI on its own data directory).
    public var visibleTo: String?

    public init(text: String = "") { self.text = text }
}

/// "Has a property at `path`, of `type`": the unit of capability search.
///
/// Paths are property names, dotted into nested objects (`options.timeout`), with `[]` for the
/// items of an array (`results[].url`).
public struct PropertyRequirement: Sendable, Hashable, CustomStringConvertible {
    public var path: String
    /// A JSON Schema type name, or `nil` for any. `number` also admits `integer` properties.
    public var type: String?

    public static let typeNames: Set<String> = ["string", "number", "integer", "boolean", "object", "array", "null"]

    public init(path: String, type: String? = nil) {
        self.path = path
        self.type = type
    }

    /// Reads `path` or `path:type`, e.g. `path:string`.
    /// - Throws: ``ToolhostError`` `invalid_input` naming the bad part.
    public init(parsing text: String) throws(ToolhostError) {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let path = parts.first, !path.isEmpty else {
            throw ToolhostError(.invalidInput, "capability filter \"\(text)\": expected PROPERTY or PROPERTY:TYPE")
        }
        var type: String?
        if parts.count == 2 {
            guard Self.typeNames.contains(parts[1]) else {
                throw ToolhostError(.invalidInput, "capability filter \"\(text)\": unknown type \"\(parts[1])\", expected one of \(Self.typeNames.sorted().joined(separator: ", "))")
            }
            type = parts[1]
        }
        self.init(path: path, type: type)
    }

    public var description: String { type.map { "\(path):\($0)" } ?? path }
}
