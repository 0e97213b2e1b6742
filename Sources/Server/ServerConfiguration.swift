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
    /// How long an API key's lookup and a rendered tool are reused. Writes through this server are
    /// seen at once whatever the value; it bounds how long a change made by another process on the
    /// same data directory (a revoked key, a yank) can go unseen. `.zero` turns the caches off.
    public var cacheLifetime: Duration = .seconds(1)

    public init() {}
}
