import ToolhostCore

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
public struct DerivedPrivilege: Sendable, Hashable {
    /// The highest level any reason needs; `READ_ONLY` when there is none.
    public var level: PrivilegeLevel
    /// Every reason, highest level first; empty for a tool that only reads.
    public var reasons: [PrivilegeReason]
}

/// Where a manifest comes from, which decides whether it is trusted.
public enum PackageOrigin: Sendable, Hashable {
    /// Uploaded to the registry (or packed for upload): untrusted, whatever it says about itself.
    case published
    /// Shipped with the host in `Tools/` and loaded at start-up.
    case bundled
}

/// Derives the minimum privilege level of a tool from what it declares, and refuses community
/// packages that state less: a caller's maximum level and the approval gate both trust the stated
/// level, so an understated one would let a tool do more than its callers agreed to.
///
/// The rules, for untrusted packages, where the hints are the publisher's word:
/// - any network egress ⇒ 3 EXECUTE_RISKY: a tool that can reach a host can send its input there,
///   whatever `readOnlyHint` says (so this is stricter than the manifest schema's description,
///   which exempts read-only tools);
/// - any secret ⇒ 3: a secret is only worth having to act somewhere else with it;
/// - `filesystem.write`, `subprocess`, `readOnlyHint` not true, or `destructiveHint` true ⇒ 2 EXECUTE_SAFE;
/// - otherwise 1 READ_ONLY.
public enum PrivilegeDerivation {
    /// The least level `tool`'s permissions and annotations need, with every reason.
    public static func derive(for tool: ToolDefinition) -> DerivedPrivilege {
        var reasons: [PrivilegeReason] = []
        let permissions = tool.permissions
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
        if !tool.annotations.isReadOnly {
            let value = tool.annotations.readOnlyHint.map { "\($0)" } ?? "absent"
            reasons.append(.init(level: .executeSafe, text: "is not marked read-only (annotations.readOnlyHint is \(value))"))
        }
        if tool.annotations.destructiveHint == true {
            reasons.append(.init(level: .executeSafe, text: "is marked destructive (annotations.destructiveHint)"))
        }
        return DerivedPrivilege(level: reasons.map(\.level).max() ?? .readOnly, reasons: reasons)
    }

    /// Whether `manifest` is exempt from the check: Toolhost's own built-ins (runtime `builtin` in
    /// the reserved `toolhost` namespace), and only when they come from the host's own `Tools/`.
    ///
    /// Built-ins are reviewed with the host's source and ship inside it rather than being
    /// published, and some levels are chosen by hand from what the tool actually does: `web_fetch`
    /// declares egress to `*` but only issues GETs, so it is 1 READ_ONLY as the design's table says,
    /// which the untrusted rule above could never give it. The exemption is granted by `origin`,
    /// which the caller knows, never by the manifest alone: an upload that calls itself a
    /// `toolhost/…` built-in is checked like any other.
    public static func isExempt(_ manifest: PackageManifest, origin: PackageOrigin) -> Bool {
        origin == .bundled && manifest.isBuiltin && manifest.namespace == "toolhost"
    }

    /// Refuses a manifest in which any tool states a privilege level below its derived one.
    /// - Throws: ``PublishError`` `understated_privilege` naming every such tool, its stated and
    ///   derived levels and the reasons that need more; details carry the same per tool.
    public static func check(_ manifest: PackageManifest, origin: PackageOrigin = .published) throws(PublishError) {
        guard !isExempt(manifest, origin: origin) else { return }
        var lines: [String] = []
        var details: [JSONValue] = []
        for tool in manifest.tools {
            let derived = derive(for: tool)
            guard tool.privilegeLevel < derived.level else { continue }
            let above = derived.reasons.filter { $0.level > tool.privilegeLevel }
            lines.append(
                "tool \"\(tool.name)\" declares privilegeLevel \(tool.privilegeLevel) but needs at least \(derived.level): it "
                    + above.map(\.text).joined(separator: "; it "))
            details.append([
                "tool": .string(tool.name), "declared": .int(tool.privilegeLevel.rawValue), "derived": .int(derived.level.rawValue),
                "reasons": .array(above.map { ["level": .int($0.level.rawValue), "reason": .string($0.text)] }),
            ])
        }
        guard !lines.isEmpty else { return }
        let message =
            lines.count == 1
            ? "\(manifest.name)@\(manifest.version): \(lines[0])"
            : "\(manifest.name)@\(manifest.version): \(lines.count) tools understate their privilege level:\n"
                + lines.map { "  - \($0)" }.joined(separator: "\n")
        throw PublishError(.understatedPrivilege, message, details: ["tools": .array(details)])
    }
}
