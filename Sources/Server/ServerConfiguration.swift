import Foundation
import Registry

/// How `toolhost serve` runs: where it listens and where its data lives.
public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// The data directory: `toolhost.sqlite`, `blobs/`, `admin.key`.
    public var dataDirectory = URL(fileURLWithPath: ".toolhost")
    /// Caps of package uploads.
    public var archiveLimits = PackageArchiveLimits()

    public init() {}
}
