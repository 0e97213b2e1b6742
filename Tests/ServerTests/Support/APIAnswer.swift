import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import ToolhostCore

/// What the API answered: status, headers and the body as JSON (null when it is not JSON).
struct APIAnswer: Sendable, CustomStringConvertible {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var json: JSONValue

    var description: String { "\(status.code) \(json.serialized())" }

    init(status: HTTPResponse.Status, headers: HTTPFields, body: ByteBuffer?) {
        self.status = status
        self.headers = headers
        json = body.flatMap { try? JSONValue(parsing: Data($0.readableBytesView)) } ?? .null
    }

    /// The request's headers: the bearer key, and a JSON content type when there is a body.
    static func requestHeaders(key: String?, hasBody: Bool) -> HTTPFields {
        var headers = ServerFixture.headers(key)
        if hasBody { headers[.contentType] = "application/json" }
        return headers
    }
}

extension TestClientProtocol {
    /// Sends `body` (JSON, or raw text when `raw` is given) with `key` to the in-process server.
    func send(_ method: HTTPRequest.Method, _ uri: String, key: String?, json body: JSONValue? = nil, raw: String? = nil) async throws -> APIAnswer {
        let text = raw ?? body?.serialized()
        let response = try await executeRequest(uri: uri, method: method, headers: APIAnswer.requestHeaders(key: key, hasBody: text != nil),
                                                body: text.map { ByteBuffer(string: $0) })
        return APIAnswer(status: response.status, headers: response.headers, body: response.body)
    }
}

extension TestClientProtocol {
    /// Publishes a package archive with `key`, as `POST /api/v1/packages` (`?visibility=` when given).
    func publish(_ archive: Data, key: String?, visibility: String? = nil) async throws -> APIAnswer {
        let uri = "/api/v1/packages" + (visibility.map { "?visibility=\($0)" } ?? "")
        let response = try await executeRequest(uri: uri, method: .post, headers: ServerFixture.headers(key), body: ByteBuffer(bytes: archive))
        return APIAnswer(status: response.status, headers: response.headers, body: response.body)
    }
}

extension TestClient {
    /// Sends `body` as JSON with `key` to a `toolhost serve` process.
    func send(_ method: HTTPRequest.Method, _ uri: String, key: String?, json body: JSONValue? = nil) async throws -> APIAnswer {
        let request = TestClient.Request(uri, method: method, headers: APIAnswer.requestHeaders(key: key, hasBody: body != nil),
                                         body: body.map { ByteBuffer(string: $0.serialized()) })
        let response = try await execute(request)
        return APIAnswer(status: response.status, headers: response.headers, body: response.body)
    }
}
