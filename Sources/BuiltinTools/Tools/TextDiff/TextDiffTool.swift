import ToolhostCore

/// `text_diff`: a unified diff of two texts, byte-for-byte as GNU `diff -U<n>` prints it.
public struct TextDiffTool: BuiltinTool {
    public let name = "text_diff"

    public init() {}

    /// Compares `original` with `modified` line by line.
    /// - Throws: ``ToolFailure`` `invalid_argument` naming the field when a label holds a line break or
    ///   `contextLines` is out of range (the schema already forbids both).
    public func run(_ input: JSONValue, in context: ToolContext) async throws(ToolFailure) -> JSONValue {
        guard let original = input["original"]?.stringValue else {
            throw ToolFailure(.invalidArgument, "original: expected a string")
        }
        guard let modified = input["modified"]?.stringValue else {
            throw ToolFailure(.invalidArgument, "modified: expected a string")
        }
        let contextLines = input["contextLines"]?.intValue ?? 3
        guard (0...1000).contains(contextLines) else {
            throw ToolFailure(.invalidArgument, "contextLines: must be between 0 and 1000, got \(contextLines)")
        }
        let originalName = try Self.label(input, "originalName", default: "a")
        let modifiedName = try Self.label(input, "modifiedName", default: "b")
        let diff = UnifiedDiff(original: original, modified: modified, context: contextLines, label0: originalName, label1: modifiedName)
        return [
            "diff": .string(diff.text),
            "identical": .bool(diff.text.isEmpty),
            "stats": ["added": .int(diff.added), "removed": .int(diff.removed), "hunks": .int(diff.hunks)],
        ]
    }

    private static func label(_ input: JSONValue, _ field: String, default fallback: String) throws(ToolFailure) -> String {
        guard let value = input[field] else { return fallback }
        guard let label = value.stringValue, !label.isEmpty, !label.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
            throw ToolFailure(.invalidArgument, "\(field): must be a non-empty label on one line")
        }
        return label
    }
}
