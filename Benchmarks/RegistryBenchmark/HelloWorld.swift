import Hummingbird
import Logging

/// The baseline: a bare Hummingbird application with one route, as in Hummingbird's own examples.
/// Run as `registry-benchmark hello <port>`, in its own process like the registry it is compared with.
enum HelloWorld {
    static func run(port: Int) async throws {
        let router = Router()
        router.get("hello") { _, _ in "Hello, world!" }
        var logger = Logger(label: "hello-world")
        logger.logLevel = .warning
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
        try await app.runService()
    }
}
