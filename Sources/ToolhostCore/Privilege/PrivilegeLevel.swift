import Foundation

/// How much a tool may do, from reading only (1) to platform operations (5).
///
/// A caller has a maximum level and may not call a tool above it; tools of level 3 and up open an
/// approval gate. The levels are ordered, so `level <= caller.maximum` is the authorization check.
public enum PrivilegeLevel: Int, Sendable, Hashable, Comparable, CaseIterable, Codable, CustomStringConvertible {
    /// Reads only; no writes, no side effects outside the call.
    case readOnly = 1
    /// Writes confined to the run's workspace; sandboxed code without network; reversible.
    case executeSafe = 2
    /// Irreversible or outside side effects: network writes, messages.
    case executeRisky = 3
    /// Administration of the registry or a tenant.
    case admin = 4
    /// Platform operations.
    case superAdmin = 5

    /// The level's name as the design writes it, e.g. `READ_ONLY`.
    public var name: String {
        switch self {
        case .readOnly: "READ_ONLY"
        case .executeSafe: "EXECUTE_SAFE"
        case .executeRisky: "EXECUTE_RISKY"
        case .admin: "ADMIN"
        case .superAdmin: "SUPER_ADMIN"
        }
    }

    /// `2 EXECUTE_SAFE`: the number people filter by and the name that explains it.
    public var description: String { "\(rawValue) \(name)" }

    /// Whether a call of a tool at this level needs a human's approval unless a policy pre-approves it.
    public var requiresApproval: Bool { self >= .executeRisky }

    /// Reads a level from its number (`"2"`) or its name (`"EXECUTE_SAFE"`, `"execute-safe"`).
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let number = Int(trimmed) {
            self.init(rawValue: number)
            return
        }
        let normalized = trimmed.uppercased().replacingOccurrences(of: "-", with: "_")
        guard let level = Self.allCases.first(where: { $0.name == normalized }) else { return nil }
        self = level
    }

    public static func < (lhs: PrivilegeLevel, rhs: PrivilegeLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}
