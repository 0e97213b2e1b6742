import Foundation
import HTTPTypes
import Host
import Hummingbird
import Logging
import NIOCore
import Registry
import Sandbox
import ServiceLifecycle
import ToolhostCore

/// The HTTP API of Toolhost on Hummingbird: `/healthz`, `/readyz`, `/openapi.json` and the
/// authenticated routes under `/api/v1`, with the ``Host/ToolHost`` every tool call goes through.
///
/// ```swift
/// let server = try await ToolhostServer(configuration: configuration)
/// try await server.application().runService()   // drains, then quiesces the sandbox, on SIGTERM / SIGINT
/// ```
public struct ToolhostServer: Sendable {
    public let configuration: ServerConfiguration
    /// The registry's stores: the catalog the tool routes read, publishing, keys, the audit log.
    public let registry: RegistryStores
    /// The local tenant's administrator key (created on first start, kept in `admin.key`).
    public let adminKey: String
    public var adminKeyFile: URL { configuration.dataDirectory.appendingPathComponent("admin.key") }
    /// The pipeline of every tool call, over the same data directory; its sandbox is nil when
    /// packaged tools cannot run here.
    public let host: ToolHost

    /// Opens (creating on first start) the data directory: the catalog with the built-in tools in
    /// sync, the blob store swept of blobs a crashed publish left behind, the admin key, and the host
    /// (approvals whose host is gone are marked interrupted).
    /// - Throws: ``ToolhostError`` when the data directory, database or built-in manifests are unusable.
    public init(configuration: ServerConfiguration, logger: Logger = Logger(label: "toolhost")) async throws(ToolhostError) {
        self.configuration = configuration
        let directory = configuration.dataDirectory
        let store = try await DataDirectory.open(directory)
        registry = store.registry
        try await registry.publishing.sweepUnreferencedArchives()
        adminKey = try await registry.keys.ensureAdminKey(file: directory.appendingPathComponent("admin.key"))
        host = try await store.host(configuration: configuration.hostConfiguration(), sandbox: Self.sandbox(for: configuration, logger: logger))
    }

    /// The limits filled into manifests that leave them out: the sandbox's policy, read from its
    /// files when the sandbox itself is off or could not start.
    public var limitDefaults: ToolLimitDefaults? {
        (host.sandbox?.policy ?? (try? SandboxPolicy.load())).map(\.toolLimitDefaults)
    }

    /// The configured sandbox, a new one, or nil (logged once, here) when it cannot be created.
    private static func sandbox(for configuration: ServerConfiguration, logger: Logger) -> Sandbox? {
        guard configuration.sandboxEnabled else {
            logger.notice("the sandbox is turned off: packaged tools will answer not_configured errors")
            return nil
        }
        if let sandbox = configuration.sandbox { return sandbox }
        do {
            return try Sandbox(prewarmedLaunchers: configuration.prewarmedLaunchers)
        } catch {
            logger.warning("the sandbox cannot be created, so packaged tools will not run: \(error.message)")
            return nil
        }
    }

    /// Waits until every finished sandboxed run is torn down, then removes the sandbox's idle
    /// prewarmed cgroups. ``application(logger:)`` calls it once the server has drained; call it
    /// yourself when you serve ``router()`` some other way.
    public func shutdown() async {
        await host.drain()
        host.sandbox?.shutdown()
    }

    /// The router with every route; tests drive it directly or through a live server.
    public func router() -> Router<ToolhostRequestContext> { buildRouter().router }

    /// Every route ``router()`` serves, as the router received them; the OpenAPI test checks that
    /// `/openapi.json` describes exactly these.
    public var routes: [RegisteredRoute] { buildRouter().routes }

    private func buildRouter() -> (router: Router<ToolhostRequestContext>, routes: [RegisteredRoute]) {
        let router = Router(context: ToolhostRequestContext.self)
        router.middlewares.add(ErrorMiddleware())
        router.middlewares.add(LogRequestsMiddleware(.info))
        let routes = RouteRecorder(router)
        routes.get("healthz") { _, _ in JSONResponse.make(JSONValue.object(["status": "ok"])) }
        routes.get("readyz") { _, _ in
            _ = try await registry.keys.authenticate(secret: "readiness-probe")  // the database answers
            return JSONResponse.make(JSONValue.object(["status": "ready"]))
        }
        routes.get("openapi.json") { _, _ in JSONResponse.bytes(OpenAPIDocument.serialized, status: .ok) }
        let lifetime = configuration.cacheLifetime
        let api = routes.group("api/v1").add(middleware: AuthenticationMiddleware(keys: registry.keys, callers: ReadCache(lifetime: lifetime)))
        ToolsController(catalog: registry.catalog, rendered: ReadCache(lifetime: lifetime)).register(on: api)
        PackagesController(catalog: registry.catalog, publishing: registry.publishing, limits: configuration.archiveLimits,
                           limitDefaults: limitDefaults).register(on: api)
        KeysController(keys: registry.keys).register(on: api)
        InvocationsController(host: host).register(on: api)
        ApprovalsController(host: host).register(on: api)
        AgentsController(host: host).register(on: api)
        CircuitsController(host: host).register(on: api)
        TracesController(host: host).register(on: api)
        return (router, routes.routes)
    }

    /// The application listening on the configured address. On graceful shutdown (SIGTERM, SIGINT)
    /// the HTTP server drains first, then ``shutdown()`` runs: Hummingbird's service group stops
    /// its services in reverse order, and the host's comes before the server's.
    public func application(logger: Logger = Logger(label: "toolhost")) -> some ApplicationProtocol {
        Application(
            router: router(),
            server: .http1(configuration: .init(idleTimeout: configuration.idleTimeout.map { TimeAmount($0) })),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "toolhost"),
            services: [HostMaintenanceService(server: self, logger: logger)],
            logger: logger)
    }
}

/// The host's background work for as long as the server runs: a round of
/// ``Host/ToolHost/performMaintenance(now:)`` every ``ServerConfiguration/maintenanceInterval``.
/// On graceful shutdown — which reaches it after the HTTP server drained, since the service group
/// stops services in reverse order — the loop ends and the host drains, then the sandbox is quiesced.
struct HostMaintenanceService: Service {
    let server: ToolhostServer
    let logger: Logger

    func run() async throws {
        let host = server.host
        let interval = server.configuration.maintenanceInterval
        let logger = logger
        // Cancellation (rather than a graceful shutdown) ends the loop as well; clean up either way.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do throws(ToolhostError) {
                    let report = try await host.performMaintenance()
                    if !report.expired.isEmpty || !report.interrupted.isEmpty {
                        logger.notice("host maintenance: \(report.expired.count) approval(s) expired, \(report.interrupted.count) abandoned run(s) interrupted")
                    }
                } catch {
                    logger.warning("host maintenance failed: \(error.message)")
                }
                try await Task.sleep(for: interval)
            }
        }
        await server.shutdown()
    }
}
