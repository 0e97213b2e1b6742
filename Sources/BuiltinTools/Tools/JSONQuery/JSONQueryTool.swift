import ToolhostCore

/// `json_query`: evaluates a JMESPath expression over the input's `data` and returns what it selects.
struct JSONQueryTool: BuiltinTool {
    let name = "json_query"

    /// The output limit when the manifest gives none.
    static let defaultOutputBytes = 10 << 20

    func run(_ input: JSONValue, in context: ToolContext) async throws(ToolFailure) -> JSONValue {
        guard let text = input["expression"]?.stringValue, !text.isEmpty else {
            throw ToolFailure(.invalidArgument, "expression: a non-empty JMESPath expression is required")
        }
        // `data` is required, but JSON null is a value like any other and stays queryable.
        guard let data = input["data"] else {
            throw ToolFailure(.invalidArgument, "data: the JSON value to query is required")
        }
        let result: JSONValue
        do {
            result = try JMESPathExpression(text).search(data)
        } catch {
            throw Self.failure(for: error, in: text)
        }
        let limit = context.limits.outputBytes ?? Self.defaultOutputBytes
        if result.serializedSizeExceeds(limit) {
            throw ToolFailure(.tooLarge, "result: the selected value is larger than the output limit of \(limit) bytes; select less")
        }
        return .object(["result": result])
    }

    /// "expression: syntax error at column 9: … (in `people[?`)": the field, the JMESPath error
    /// kind, the column when there is one, and the expression (or the part around the column).
    static func failure(for error: JMESPathError, in text: String) -> ToolFailure {
        let kind: ToolFailure.Kind = error.kind == .limitExceeded ? .tooLarge : .invalidArgument
        return ToolFailure(kind, "expression: \(error) (in `\(excerpt(of: text, around: error.column))`)")
    }

    /// The expression, or for a long one the 60 scalars on either side of `column`.
    static func excerpt(of text: String, around column: Int?, radius: Int = 60) -> String {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count > 2 * radius else { return text }
        let center = min(max((column ?? 1) - 1, 0), scalars.count)
        let start = max(center - radius, 0)
        let end = min(center + radius, scalars.count)
        let middle = String(String.UnicodeScalarView(scalars[start..<end]))
        return (start > 0 ? "…" : "") + middle + (end < scalars.count ? "…" : "")
    }
}
