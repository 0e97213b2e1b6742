import Foundation
import ToolhostCore

/// An agent: a named identity of a tenant that calls tools on its behalf, with a maximum privilege
/// level and the tools it is granted (names or globs such as `file_*` or `acme/*`).
public struct Agent: Sendable, Hashable, Codable {
    public var id: String
    public var tenant: String
    public var name: String
    public var maxPrivilege: PrivilegeLevel
    /// Granted tools: exact names or globs (`*` any characters, `?` one). Empty grants nothing.
    public var tools: [String]
    /// Tools (names or globs) whose calls need an approval even below level 3.
    public var approvalRequired: [String]
    public var createdAt: Date
    public var createdBy: String

    /// Whether the agent may call the tool named `name` (as the call resolved it).
    public func isGranted(_ name: String) -> Bool {
        tools.contains { ToolPattern.matches($0, name) }
    }

    /// Whether the agent's policy puts calls of `name` behind an approval.
    public func requiresApproval(for name: String) -> Bool {
        approvalRequired.contains { ToolPattern.matches($0, name) }
    }
}

/// Globs over tool names: `*` matches any run of characters (slashes included), `?` one character.
public enum ToolPattern {
    /// Checks that `pattern` is a name or a glob a caller may write.
    /// - Throws: ``ToolhostError`` `invalid_input` naming the pattern.
    public static func validate(_ pattern: String, field: String) throws(ToolhostError) {
        guard !pattern.isEmpty, pattern.count <= 256,
              pattern.allSatisfy({ $0.isLetter || $0.isNumber || "_-./*?@".contains($0) }) else {
            throw ToolhostError(.invalidInput, "\(field): \"\(pattern)\" is not a tool name or glob (letters, digits, _ - . / and the wildcards * ?)")
        }
    }

    public static func matches(_ pattern: String, _ name: String) -> Bool {
        matches(Array(pattern.unicodeScalars), 0, Array(name.unicodeScalars), 0)
    }

    private static func matches(_ pattern: [Unicode.Scalar], _ p: Int, _ name: [Unicode.Scalar], _ n: Int) -> Bool {
        var (p, n) = (p, n)
        var star: (p: Int, n: Int)?
        while n < name.count {
            if p < pattern.count, pattern[p] == "?" || pattern[p] == name[n] {
                p += 1
                n += 1
            } else if p < pattern.count, pattern[p] == "*" {
                star = (p, n)
                p += 1
            } else if let last = star {
                p = last.p + 1
                n = last.n + 1
                star = (last.p, last.n + 1)
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
