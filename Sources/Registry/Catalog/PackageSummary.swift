import Foundation
import ToolhostCore

/// One stored version of a package, with everything the registry knows about it.
public struct PackageVersionDetail: Sendable, Hashable, Codable {
    public var name: String
    public var version: SemanticVersion
    public var manifest: JSONValue
    public var sha256: String?
    public var size: Int?
    public var signature: String?
    public var signingKey: String?
    public var publisher: String?
    public var visibility: Visibility
    public var yanked: Bool
    public var yankReason: String?
    public var deprecated: String?
    public var publishedAt: Date
}

/// A package with its versions, newest first.
public struct PackageSummary: Sendable, Hashable, Codable {
    public var name: String
    public var visibility: Visibility
    public var latest: SemanticVersion?
    public var versions: [PackageVersionInfo]
}
