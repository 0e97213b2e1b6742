/// A parsed Mustache template: text, interpolations, sections and partials.
indirect enum MustacheNode: Sendable {
    /// Literal text, written as is.
    case text([UInt8])
    /// `{{name}}` (escaped) or `{{{name}}}`/`{{& name}}` (raw).
    case variable(name: String, escaped: Bool, line: Int)
    /// `{{#name}}…{{/name}}`, or `{{^name}}…{{/name}}` when inverted.
    case section(name: String, inverted: Bool, children: [MustacheNode], line: Int)
    /// `{{> name}}`; `indentation` is the whitespace before a standalone tag, added to every line of the partial.
    case partial(name: String, indentation: [UInt8], line: Int)
}

/// Why a template cannot be parsed or rendered, before it is turned into a ``ToolFailure``.
struct MustacheError: Error, Sendable {
    enum Kind: Sendable {
        case syntax, missing, depth
    }

    var kind: Kind
    var message: String
}
