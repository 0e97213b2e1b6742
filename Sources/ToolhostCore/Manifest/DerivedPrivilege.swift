/// One thing a tool declares that needs at least a certain privilege level.
public struct PrivilegeReason: Sendable, Hashable, CustomStringConvertible {
    /// The least level this declaration needs.
    public var level: PrivilegeLevel
    /// The declaration in words, e.g. `declares network egress to api.example.com`.
    public var text: String

    /// Creates a reason.
    public init(level: PrivilegeLevel, text: String) {
        self.level = level
        self.text = text
    }

    /// The declaration in words (``text``).
    public var description: String { text }
}

/// The least privilege level a tool's declarations need, and why.
///
/// The rules, where the hints are the publisher's word:
/// - any network egress ⇒ 3 EXECUTE_RISKY: a tool that can reach a host can send its input there,
///   whatever `readOnlyHint` says;
/// - any secret ⇒ 3: a secret is only worth having to act somewhere else with it;
/// - `filesystem.write`, `subprocess`, `readOnlyHint` not true, or `destructiveHint` true ⇒ 2 EXECUTE_SAFE;
/// - otherwise 1 READ_ONLY.
public struct DerivedPrivilege: Sendable, Hashable {
    /// The highest level any reason needs; `READ_ONLY` when there is none.
    public var level: PrivilegeLevel
    /// Every reason, highest level first; empty for a tool that only reads.
    public var reasons: [PrivilegeReason]

    /// The level `permissions` and `annotations` need, with every reason.
    public init(permissions: ToolPermissions?, annotations: ToolAnnotations) {
        var reasons: [PrivilegeReason] = []
        if let egress = permissions?.network?.egress, !egress.isEmpty {
            reasons.append(.init(level: .executeRisky, text: "declares network egress to \(egress.joined(separator: ", "))"))
        }
        if let secrets = permissions?.secrets, !secrets.isEmpty {
            reasons.append(.init(level: .executeRisky, text: "reads the secret\(secrets.count == 1 ? "" : "s") \(secrets.joined(separator: ", "))"))
        }
        if permissions?.filesystem?.write == true {
            reasons.append(.init(level: .executeSafe, text: "writes files (permissions.filesystem.write)"))
        }
        if permissions?.subprocess == true {
            reasons.append(.init(level: .executeSafe, text: "starts processes (permissions.subprocess)"))
        }
        if !annotations.isReadOnly {
            let value = annotations.readOnlyHint.map { "\($0)" } ?? "absent"
            reasons.append(.init(level: .executeSafe, text: "is not marked read-only (annotations.readOnlyHint is \(value))"))
        }
        if annotations.destructiveHint == true {
            reasons.append(.init(level: .executeSafe, text: "is marked destructive (annotations.destructiveHint)"))
        }
        level = reasons.map(\.level).max() ?? .readOnly
        self.reasons = reasons
    }
}
