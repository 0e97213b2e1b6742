import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ToolhostCore

/// JSON bodies with sorted keys, the same bytes for the same value.
enum JSONResponse {
    static func make(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        bytes(Data(value.serialized().utf8), status: status)
    }

    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        bytes(try encoder.encode(value), status: status)
    }

    static func bytes(_ data: Data, status: HTTPResponse.Status) -> Response {
        bytes(ByteBuffer(bytes: data), status: status)
    }

    static func bytes(_ buffer: ByteBuffer, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: buffer))
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()
}

extension Request {
    /// The body as bytes, refused with 413 above `limit`.
    func collectBody(upTo limit: Int) async throws -> Data {
        do {
            let buffer = try await body.collect(upTo: limit)
            return Data(buffer.readableBytesView)
        } catch {
            throw ToolhostError(.payloadTooLarge, "the request body is larger than \(limit) bytes")
        }
    }

    /// The body decoded as JSON into `T`, with a 422 naming the field when it does not fit.
    func decodeJSON<T: Decodable>(_ type: T.Type, upTo limit: Int = 1 << 20) async throws -> T {
        let data = try await collectBody(upTo: limit)
        do {
            return try JSONDecoder().decode(T.self, from: data.isEmpty ? Data("{}".utf8) : data)
        } catch let error as DecodingError {
            throw ToolhostError(.invalidInput, "request body: \(error.fieldDescription)")
        }
    }
}
