import ToolhostCore

/// Finds the changes in a new version of a package that break callers of the previous one, and
/// refuses them unless the version number says so: a higher major version, or for `0.x` a higher
/// minor one (npm's caret semantics, under which `^0.3.1` does not match `0.4.0`).
///
/// What counts as breaking, per tool (matched by name): the tool is removed; the input schema's
/// top-level `required` gains a name; a top-level input property admits fewer types (compared only
/// when both versions state `type`, or the old one accepts anything; `integer` fits in `number`);
/// a top-level input property is removed from a schema with `additionalProperties: false`; the
/// output schema's top-level `properties` loses a name; the privilege level rises. Deeper schema
/// changes are not analysed: this catches the common breaks without false alarms, not every break.
public enum BreakingChanges {
    /// The version a new one is compared with: the highest existing release below `new`.
    ///
    /// Prereleases are skipped as baselines because they promise no stability, and versions above
    /// `new` do not count, so a fix to an old line (`1.4.1` after `2.0.0`) is compared with `1.4.0`.
    public static func baseline(for new: SemanticVersion, among existing: [SemanticVersion]) -> SemanticVersion? {
        existing.filter { !$0.isPrerelease && $0.hasLowerPrecedence(than: new) }.max()
    }

    /// The lowest version that may break `previous`: the next major, or for `0.x` the next minor.
    public static func versionAllowingBreakingChanges(after previous: SemanticVersion) -> SemanticVersion {
        previous.major == 0 ? SemanticVersion(0, previous.minor + 1, 0) : SemanticVersion(previous.major + 1, 0, 0)
    }

    /// Whether `new` may break callers of `previous`.
    public static func allowsBreakingChanges(from previous: SemanticVersion, to new: SemanticVersion) -> Bool {
        previous.major == 0 ? (new.major > 0 || new.minor > previous.minor) : new.major > previous.major
    }

    /// Every breaking change from `old` to `new`, in tool order.
    public static func changes(from old: PackageManifest, to new: PackageManifest) -> [BreakingChange] {
        let newTools = Dictionary(new.tools.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var changes: [BreakingChange] = []
        for oldTool in old.tools {
            guard let newTool = newTools[oldTool.name] else {
                changes.append(.init(kind: .toolRemoved, tool: oldTool.name, description: "tool \"\(oldTool.name)\" was removed"))
                continue
            }
            changes += SchemaComparison.inputChanges(tool: oldTool.name, old: oldTool.inputSchema, new: newTool.inputSchema)
            changes += SchemaComparison.outputChanges(tool: oldTool.name, old: oldTool.outputSchema, new: newTool.outputSchema)
            if newTool.privilegeLevel > oldTool.privilegeLevel {
                changes.append(
                    .init(
                        kind: .privilegeRaised, tool: oldTool.name,
                        description: "tool \"\(oldTool.name)\": privilegeLevel rose from \(oldTool.privilegeLevel) to \(newTool.privilegeLevel)"))
            }
        }
        return changes
    }

    /// Refuses `new` when it breaks `previous` (the manifest of ``baseline(for:among:)``, or `nil`
    /// for a first version) without the version bump that says so.
    /// - Throws: ``PublishError`` `breaking_change` listing each change and the version `new` would need.
    public static func check(_ new: PackageManifest, previous: PackageManifest?) throws(PublishError) {
        guard let previous, !allowsBreakingChanges(from: previous.version, to: new.version) else { return }
        let changes = changes(from: previous, to: new)
        guard !changes.isEmpty else { return }
        let needed = versionAllowingBreakingChanges(after: previous.version)
        let count = changes.count == 1 ? "a breaking change" : "\(changes.count) breaking changes"
        let message =
            "\(new.name)@\(new.version) has \(count) from \(previous.version), so it needs version \(needed) or higher:\n"
            + changes.map { "  - \($0.description)" }.joined(separator: "\n")
        let details: JSONValue = [
            "previousVersion": .string(previous.version.description),
            "requiredVersion": .string(needed.description),
            "changes": .array(
                changes.map { change in
                    var members: [String: JSONValue] = [
                        "kind": .string(change.kind.rawValue), "tool": .string(change.tool), "message": .string(change.description),
                    ]
                    if let property = change.property { members["property"] = .string(property) }
                    return .object(members)
                }),
        ]
        throw PublishError(.breakingChange, message, details: details)
    }
}
