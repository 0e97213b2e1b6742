import HTTPTypes
import Hummingbird

/// One route the server registers: its method and its path, with parameters written as OpenAPI
/// templates write them (`/api/v1/tools/{name}`, which is how Hummingbird's `RouterPath` prints `:name`).
public struct RegisteredRoute: Sendable, Hashable, CustomStringConvertible {
    public var method: HTTPRequest.Method
    public var path: String

    public var description: String { "\(method.rawValue) \(path)" }
}

/// Adds routes to a ``Router`` and remembers each one.
///
/// Hummingbird's `Router` keeps its routes in an internal trie with no way to list them, so the
/// server registers through this recorder; the list is what the router received, not a second copy
/// of the route table, and the OpenAPI test compares it with the document.
final class RouteRecorder<Context: RequestContext>: RouterMethods {
    let router: Router<Context>
    private(set) var routes: [RegisteredRoute] = []

    init(_ router: Router<Context>) { self.router = router }

    @discardableResult
    func on<Responder: HTTPResponder>(_ path: RouterPath, method: HTTPRequest.Method, responder: Responder) -> Self
    where Responder.Context == Context {
        routes.append(RegisteredRoute(method: method, path: path.description))
        router.on(path, method: method, responder: responder)
        return self
    }

    @discardableResult
    func add(middleware: any MiddlewareProtocol<Request, Response, Context>) -> Self {
        router.add(middleware: middleware)
        return self
    }
}
