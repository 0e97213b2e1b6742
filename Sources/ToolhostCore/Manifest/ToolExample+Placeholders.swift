import Foundation

extension ToolExample {
    /// The placeholder that stands for the base URL of the loopback fixture server in examples of
    /// network tools (no trailing slash).
    public static let fixtureURLPlaceholder = "{{fixture_url}}"

    /// A stand-in base URL for checking examples against their schemas when no fixture server runs.
    public static let placeholderFixtureURL = "http://127.0.0.1:8000"

    /// The example with ``fixtureURLPlaceholder`` replaced by `fixtureURL` in its input, expected
    /// output and secrets; any other `{{…}}` text (a Mustache tag, say) is left alone.
    public func resolvingPlaceholders(fixtureURL: String) -> ToolExample {
        var resolved = self
        resolved.input = input.replacingInStrings(Self.fixtureURLPlaceholder, with: fixtureURL)
        resolved.output = output.replacingInStrings(Self.fixtureURLPlaceholder, with: fixtureURL)
        resolved.secrets = secrets?.mapValues { $0.replacingOccurrences(of: Self.fixtureURLPlaceholder, with: fixtureURL) }
        return resolved
    }
}

extension JSONValue {
    /// A copy with `target` replaced by `replacement` in every string value (object keys unchanged).
    func replacingInStrings(_ target: String, with replacement: String) -> JSONValue {
        switch self {
        case .string(let text): .string(text.replacingOccurrences(of: target, with: replacement))
        case .array(let items): .array(items.map { $0.replacingInStrings(target, with: replacement) })
        case .object(let members): .object(members.mapValues { $0.replacingInStrings(target, with: replacement) })
        default: self
        }
    }
}
