import ToolhostCore

/// Everything wrong with a definition, each problem with where it is, so an author fixes them all at once.
public struct WorkflowDefinitionError: Error, Sendable, CustomStringConvertible {
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        public var location: SourceLocation
        public var message: String

        public var description: String { "\(location): \(message)" }
    }

    /// The file or name the definition came from.
    public var source: String
    public var problems: [Problem]

    public var description: String {
        "\(source): " + problems.map(\.description).joined(separator: "; ")
    }

    /// The error as the rest of Toolhost reports it: `invalid_input`, every problem in `details.problems`.
    public var toolhostError: ToolhostError {
        let shown = problems.prefix(5).map(\.description).joined(separator: "; ")
        let more = problems.count > 5 ? " (and \(problems.count - 5) more)" : ""
        return ToolhostError(
            .invalidInput, "\(source): \(shown)\(more)",
            details: ["problems": .array(problems.map { problem in
                var entry: [String: JSONValue] = ["pointer": .string(problem.location.pointer), "message": .string(problem.message)]
                if let line = problem.location.line { entry["line"] = .int(line) }
                if let column = problem.location.column { entry["column"] = .int(column) }
                return .object(entry)
            })])
    }
}
