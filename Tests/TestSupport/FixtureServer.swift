import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// The loopback HTTP fixture server of Tools/README.md, on a real socket (127.0.0.1, a port the
/// kernel picks): it serves a tool's `fixtures/` files to GET and HEAD, answers
/// `GET /search?…&format=json` with `fixtures/search.json`, and records any other request, answering
/// `200 text/plain` `ok`.
///
/// For the network tools' own tests it also has paths under `/__test/` that no fixture uses:
/// - `/__test/slow?ms=N`: answers `slow` after N milliseconds;
/// - `/__test/large?bytes=N&type=T`: N bytes of `x` as T (default `text/plain`);
/// - `/__test/redirect?to=URL&status=S`: a redirect (default 302) to URL;
/// - `/__test/respond?status=S&type=T&body=B&base64=B64&header=Name:Value…`: any response;
/// - `/__test/status/S/…`: status S with the body `status S`, whatever follows.
///
/// ```swift
/// try await FixtureServer.serving("web_fetch") { server in
///     … "\(server.url)/page.html" …
/// }
/// ```
public final class FixtureServer: Sendable {
    /// A request the server recorded.
    public struct Recorded: Sendable {
        public var method: String
        /// Path and query, as sent.
        public var target: String
        public var headers: HTTPFields
        public var body: Data
    }

    /// The base URL, without a trailing slash: `http://127.0.0.1:41234`.
    public let url: String
    public let port: Int
    private let state: State
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    /// Every recorded request, oldest first.
    public var recorded: [Recorded] { state.recorded.withLock { $0 } }

    /// Runs `body` with a server for the fixtures of `tool` (Tools/<tool>/fixtures), stopping it afterwards.
    public static func serving<Result>(_ tool: String, _ body: (FixtureServer) async throws -> Result) async throws -> Result {
        let server = try await FixtureServer(fixtures: toolsDirectory.appendingPathComponent(tool).appendingPathComponent("fixtures"))
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    /// The repository's `Tools/` folder.
    public static var toolsDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Tools")
    }

    /// Starts a server for the files in `fixtures` (which need not exist); ``stop()`` ends it.
    public init(fixtures: URL) async throws {
        let state = State(fixtures: fixtures)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "toolhost.fixture-server")
        logger.logLevel = .error
        let app = Application(
            responder: CallbackResponder { (request: Request, _: BasicRequestContext) in try await state.respond(to: request) },
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            task.cancel()
            throw FixtureServerError.didNotStart
        }
        self.group = group
        self.port = port
        self.url = "http://127.0.0.1:\(port)"
        self.state = state
    }

    /// Stops the server, cutting short the slow answers still waiting.
    public func stop() async {
        state.stopping.store(true, ordering: .relaxed)
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }

    public enum FixtureServerError: Error { case didNotStart }

    private final class State: Sendable {
        let fixtures: URL
        let recorded = Mutex<[Recorded]>([])
        let stopping = Atomic<Bool>(false)

        init(fixtures: URL) { self.fixtures = fixtures }

        func respond(to request: Request) async throws -> Response {
            let path = request.uri.path
            let query = request.uri.queryParameters
            let isRead = request.method == .get || request.method == .head
            if path.hasPrefix("/__test/") {
                return try await testResponse(path, query: query, request: request)
            }
            if isRead, let file = fixtureFile(path) {
                return try fileResponse(file, head: request.method == .head)
            }
            if request.method == .get, path == "/search", query["format"] == "json",
               FileManager.default.fileExists(atPath: fixtures.appendingPathComponent("search.json").path) {
                return try fileResponse(fixtures.appendingPathComponent("search.json"), head: false)
            }
            try await record(request)
            return Self.text("ok")
        }

        private func record(_ request: Request) async throws {
            var body = Data()
            for try await buffer in request.body { body.append(contentsOf: buffer.readableBytesView) }
            let entry = Recorded(method: request.method.rawValue, target: request.uri.string, headers: request.headers, body: body)
            recorded.withLock { $0.append(entry) }
        }

        /// The fixture file a URL path names, if any: no `..`, no empty segments, a regular file.
        private func fixtureFile(_ path: String) -> URL? {
            let decoded = path.removingPercentEncoding ?? path
            let segments = decoded.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
            guard !segments.isEmpty, segments.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }) else { return nil }
            let file = segments.reduce(fixtures) { $0.appendingPathComponent(String($1)) }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory), !isDirectory.boolValue else { return nil }
            return file
        }

        private func fileResponse(_ file: URL, head: Bool) throws -> Response {
            let data = try Data(contentsOf: file)
            let type = switch file.pathExtension {
            case "html": "text/html; charset=utf-8"
            case "txt": "text/plain; charset=utf-8"
            case "json": "application/json"
            default: "application/octet-stream"
            }
            var headers: HTTPFields = [.contentType: type, .contentLength: String(data.count)]
            headers[.cacheControl] = "no-store"
            return Response(status: .ok, headers: headers, body: head ? ResponseBody() : ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        }

        private func testResponse(_ path: String, query: FlatDictionary<Substring, Substring>, request: Request) async throws -> Response {
            if path.hasPrefix("/__test/status/") {
                try await record(request)
                let code = Int(path.split(separator: "/")[2]) ?? 500
                return Response(status: HTTPResponse.Status(code: code), headers: [.contentType: "text/plain"],
                                 body: ResponseBody(byteBuffer: ByteBuffer(string: "status \(code)")))
            }
            switch path {
            case "/__test/slow":
                let milliseconds = query["ms"].flatMap { Int($0) } ?? 5_000
                let deadline = ContinuousClock.now + .milliseconds(milliseconds)
                while ContinuousClock.now < deadline && !stopping.load(ordering: .relaxed) {
                    try? await Task.sleep(for: .milliseconds(20))
                }
                return Self.text("slow")
            case "/__test/large":
                let count = query["bytes"].flatMap { Int($0) } ?? 1 << 20
                let type = query["type"].map(String.init) ?? "text/plain"
                return Response(status: .ok, headers: [.contentType: type],
                                 body: ResponseBody(byteBuffer: ByteBuffer(repeating: UInt8(ascii: "x"), count: count)))
            case "/__test/redirect":
                try await record(request)
                let status = query["status"].flatMap { Int($0) } ?? 302
                return Response(status: HTTPResponse.Status(code: status), headers: [.location: String(query["to"] ?? "/")])
            default:
                try await record(request)
                let status = query["status"].flatMap { Int($0) } ?? 200
                var headers = HTTPFields()
                if let type = query["type"] { headers[.contentType] = String(type) }
                for header in query[values: "header"] {
                    guard let colon = header.firstIndex(of: ":"), let name = HTTPField.Name(String(header[..<colon])) else { continue }
                    headers.append(HTTPField(name: name, value: String(header[header.index(after: colon)...])))
                }
                let body = query["base64"].flatMap { Data(base64Encoded: String($0)) } ?? Data((query["body"] ?? "").utf8)
                return Response(status: HTTPResponse.Status(code: status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
            }
        }

        static func text(_ text: String) -> Response {
            Response(status: .ok, headers: [.contentType: "text/plain"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
    }
}
