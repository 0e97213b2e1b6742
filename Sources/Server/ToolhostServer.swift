import HTTPTypes
import Logging
import Foundation
import Host
import Hummingbird
import Logging
import Registry
import ToolhostCore

/// The HTTP API of Toolhost on Hummingbird: `/healthz`, `/readyz`, `/openapi.json` and the
/// authenticated routes under `/api/v1`.
///
/// ```swift
/// let server = try ToolhostServer(configuration: configuration)
/// try await server.application().runService()   // drains and stops on SIGTERM / SIGINT
/// ```
public struct ToolhostServer: Sendable {
    public let configuration: ServerConfiguration
    public let catalog: SQLiteCatalog
    public let blobs: BlobStore
    /// The local tenant's administrator key (created on first start, kept in `admin.key`).
    public let adminKey: String
    public var adminKeyFile: URL { configuration.dataDirectory.appendingPathComponent("admin.key") }

    /// Opens (creating on first start) the data directory: the catalog with the built-in tools in
    /// sync, the blob store swept of blobs a crashed publish left behind, and the admin key.
    /// - Throws: ``ToolhostError`` when the data directory, database or built-in manifests are unusable.
    public init(configuration: ServerConfiguration) throws(ToolhostError) {
        self.configuration = configuration
        let directory = configuration.dataDirectory
        let store = try DataDirectory.open(directory)
        catalog = store.catalog
        blobs = store.blobs
        try catalog.sweepUnreferencedBlobs(blobs)
        adminKey = try catalog.ensureAdminKey(file: directory.appendingPathComponent("admin.key"))
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
            _ = try catalog.authenticate(secret: "readiness-probe")  // the database answers
            return JSONResponse.make(JSONValue.object(["status": "ready"]))
        }
        routes.get("openapi.json") { _, _ in JSONResponse.bytes(OpenAPIDocument.serialized, status: .ok) }
        let lifetime = configuration.cacheLifetime
        let api = routes.group("api/v1").add(middleware: AuthenticationMiddleware(catalog: catalog, callers: ReadCache(lifetime: lifetime)))
        ToolsController(catalog: catalog, rendered: ReadCache(lifetime: lifetime)).register(on: api)
        PackagesController(catalog: catalog, blobs: blobs, limits: configuration.archiveLimits).register(on: api)
        KeysController(catalog: catalog).register(on: api)
        return (router, routes.routes)
    }

    /// The application listening on the configured address.
    public func application(logger: Logger = Logger(label: "toolhost")) -> some ApplicationProtocol {
        Application(
            router: router(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "toolhost"),
            logger: logger)
    }
}
