import Foundation

/// The `toolhost.json` at the root of a tool package: who made it, how it runs, and the tools it offers.
///
/// Field names follow MCP where MCP has them (`inputSchema`, `outputSchema`, `annotations`), so a
/// tool can be listed over MCP as it is. Load one with ``ManifestLoader``, which checks it against
/// the manifest schema first and so reports a bad field by name.
public struct PackageManifest: Sendable, Hashable, Codable {
    /// `namespace/package`, e.g. `acme/word-count`; built-ins use the reserved namespace `toolhost`.
    public var name: String
    public var version: SemanticVersion
    public var description: String
    /// An SPDX license identifier.
    public var license: String
    public var authors: [Author]
    public var homepage: String?
    public var repository: String?
    public var keywords: [String]?
    public var runtime: Runtime
    public var tools: [ToolDefinition]

    /// The namespace that owns the package: the part of ``name`` before the slash.
    public var namespace: String { String(name.split(separator: "/", maxSplits: 1).first ?? "") }

    /// Whether this is one of Toolhost's own tools, implemented in Swift in process.
    public var isBuiltin: Bool { runtime.type == .builtin }
}

/// How a package's code is started.
public struct Runtime: Sendable, Hashable, Codable {
    /// The interpreter or loader: `python3`, `sh`, `node`, `exec` (a binary), or `builtin`.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case python3, sh, node, exec, builtin
    }

    public var type: Kind
    /// The file run for every call, relative to the package root; absent for built-ins.
    public var entrypoint: String?
}

/// A package author: a plain string (`"Ada <ada@example.com>"`) or a structured entry.
public struct Author: Sendable, Hashable, Codable {
    public var name: String
    public var email: String?
    public var url: String?

    public init(name: String, email: String? = nil, url: String? = nil) {
        self.name = name
        self.email = email
        self.url = url
    }

    public init(from decoder: any Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            self.init(name: text)
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try container.decode(String.self, forKey: .name),
            email: try container.decodeIfPresent(String.self, forKey: .email),
            url: try container.decodeIfPresent(String.self, forKey: .url)
        )
    }
}
