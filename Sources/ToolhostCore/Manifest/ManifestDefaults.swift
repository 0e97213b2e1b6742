import Foundation

/// The limits a tool gets, per privilege level, when its manifest names none: the sandbox policy's
/// defaults within the level's maximums (`SandboxPolicy.toolLimitDefaults` builds them).
public struct ToolLimitDefaults: Sendable, Hashable {
    public var byLevel: [PrivilegeLevel: ToolLimits]

    public init(byLevel: [PrivilegeLevel: ToolLimits]) {
        self.byLevel = byLevel
    }
}

/// Fills in what a tool's declaration leaves out, with values that grant nothing: so that a first
/// manifest needs only a name, a title, a description and the two schemas, and so that nobody has
/// to guess what was meant, because the stored and served manifest shows the resolved values.
///
/// - `permissions` left out: none (`{}`).
/// - `annotations`, or any of its hints, left out: MCP's pessimistic defaults (not read-only,
///   destructive unless read-only, not idempotent), except `openWorldHint`, which is true only for
///   a tool that declares network egress: a tool without egress cannot reach an open world.
/// - `privilegeLevel` left out: the level the permissions and annotations need (``DerivedPrivilege``).
///   A stated level is kept as written, so that the registry can still refuse one that is too low.
/// - `limits`, or any of its fields, left out: the level's defaults, when the caller knows them.
public enum ManifestDefaults {
    /// `document` with every tool's omitted fields resolved; anything that is not a manifest's
    /// shape is returned unchanged (the schema has already said what is wrong with it).
    public static func resolve(_ document: JSONValue, limits: ToolLimitDefaults?) -> JSONValue {
        guard case .object(var root) = document, let tools = root["tools"]?.arrayValue else { return document }
        root["tools"] = .array(tools.map { resolve(tool: $0, limits: limits) })
        return .object(root)
    }

    private static func resolve(tool: JSONValue, limits: ToolLimitDefaults?) -> JSONValue {
        guard case .object(var fields) = tool else { return tool }
        let permissionsDocument = fields["permissions"] ?? .object([:])
        fields["permissions"] = permissionsDocument
        let permissions = decode(ToolPermissions.self, from: permissionsDocument)

        var hints = fields["annotations"]?.objectValue ?? [:]
        let readOnly = hints["readOnlyHint"]?.boolValue ?? false
        hints["readOnlyHint"] = hints["readOnlyHint"] ?? .bool(false)
        hints["destructiveHint"] = hints["destructiveHint"] ?? .bool(!readOnly)
        hints["idempotentHint"] = hints["idempotentHint"] ?? .bool(false)
        hints["openWorldHint"] = hints["openWorldHint"] ?? .bool(!(permissions?.network?.egress ?? []).isEmpty)
        fields["annotations"] = .object(hints)

        if fields["privilegeLevel"] == nil {
            let annotations = decode(ToolAnnotations.self, from: .object(hints)) ?? ToolAnnotations()
            fields["privilegeLevel"] = .int(DerivedPrivilege(permissions: permissions, annotations: annotations).level.rawValue)
        }
        if let level = fields["privilegeLevel"]?.intValue.flatMap(PrivilegeLevel.init(rawValue:)),
           let defaults = limits?.byLevel[level] {
            var declared = fields["limits"]?.objectValue ?? [:]
            let given: [(String, Int?)] = [
                ("timeoutMs", defaults.timeoutMs), ("memoryBytes", defaults.memoryBytes), ("outputBytes", defaults.outputBytes),
            ]
            for (name, value) in given where declared[name] == nil {
                if let value { declared[name] = .int(value) }
            }
            fields["limits"] = .object(declared)
        }
        return .object(fields)
    }

    private static func decode<T: Decodable>(_ type: T.Type, from document: JSONValue) -> T? {
        try? JSONDecoder().decode(type, from: Data(document.serialized().utf8))
    }
}
