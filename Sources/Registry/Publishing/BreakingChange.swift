/// One way a new version of a package breaks callers of an older one.
public struct BreakingChange: Sendable, Hashable, CustomStringConvertible {
    /// The kind of break.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// A tool is gone: calls to it fail.
        case toolRemoved = "tool_removed"
        /// The input schema requires a property it did not require before: old calls lack it.
        case requiredInputAdded = "required_input_added"
        /// An input property admits fewer types than before: old calls may send the lost ones.
        case inputTypeNarrowed = "input_type_narrowed"
        /// An input property is gone from a closed schema (`additionalProperties: false`): old calls that send it fail.
        case inputPropertyRemoved = "input_property_removed"
        /// The output schema no longer has a property: callers that read it get nothing.
        case outputPropertyRemoved = "output_property_removed"
        /// The tool needs a higher privilege level: callers allowed the old level may no longer call it.
        case privilegeRaised = "privilege_raised"
    }

    /// What kind of break this is.
    public var kind: Kind
    /// The tool concerned.
    public var tool: String
    /// The top-level property concerned, for the schema kinds.
    public var property: String?
    /// The change in words, e.g. `tool "count": input property "text" is now required`.
    public var description: String

    /// Creates a change.
    public init(kind: Kind, tool: String, property: String? = nil, description: String) {
        self.kind = kind
        self.tool = tool
        self.property = property
        self.description = description
    }
}
