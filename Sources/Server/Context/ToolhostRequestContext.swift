import Foundation
import Hummingbird
import NIOCore
import Registry
import ToolhostCore

/// The request context of every route: who is calling (set by ``AuthenticationMiddleware``) and from where.
public struct ToolhostRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The authenticated caller; nil only on the public routes (health, OpenAPI).
    public var caller: Caller?
    /// The connection, kept to name the client's address only when a route records it (publishing):
    /// formatting it on every request is a cost the reads do not need.
    let channel: any Channel

    public var remoteAddress: String? { channel.remoteAddress?.ipAddress }

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// Package uploads are the largest bodies; the publishing pipeline checks its own cap too.
    public var maxUploadSize: Int { 16 << 20 }

    /// The caller, or 401.
    func requireCaller() throws -> Caller {
        guard let caller else { throw ToolhostError(.unauthorized, "missing or invalid API key") }
        return caller
    }
}

extension ToolhostRequestContext {
    /// A path parameter with its percent-encoding removed (`word-count%40%5E1` is `word-count@^1`):
    /// Hummingbird matches routes on the raw path and hands parameters over as they were sent.
    func decodedParameter(_ name: String) throws -> String {
        let raw = try parameters.require(name)
        return raw.removingPercentEncoding ?? raw
    }
}
