import ToolhostCore

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
/// The rules are ``DerivedPrivilege``'s; for untrusted packages they are stricter than the manifest
/// schema's description, which exempts read-only tools from the egress rule.
public enum PrivilegeDerivation {
    /// The least level `tool`'s permissions and annotations need, with every reason.
    public static func derive(for tool: ToolDefinition) -> DerivedPrivilege {
        DerivedPrivilege(permissions: tool.permissions, annotations: tool.annotations)
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
