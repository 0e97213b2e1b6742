@testable import BuiltinTools
import Foundation
import TestSupport
import HTTPTypes
import Testing
import ToolhostCore

@Suite("http_request sends any method, headers and body")
struct HTTPRequestTests {
    let tool = HTTPRequestTool()

    @Test("every manifest example holds")
    func examples() async throws {
        let failures = try await ExampleHarness().failures(of: "http_request")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    @Test("a JSON body is sent compactly with its Content-Type and the caller's headers")
    func jsonBody() async throws {
        try await FixtureServer.serving("http_request") { server in
            let output = try await tool.run([
                "method": "POST", "url": .string("\(server.url)/api/items"),
                "json": ["name": "widget", "qty": 3], "headers": ["X-Request-Id": "example-1", "Authorization": "Bearer t"],
            ], in: try NetworkTest.loopbackContext())
            #expect(output["status"] == 200)
            #expect(output["body"] == "ok")
            #expect(output["headers"]?["content-type"] == "text/plain")
            #expect((output["durationMs"]?.doubleValue ?? -1) >= 0)
            let recorded = try #require(server.recorded.first)
            #expect(recorded.method == "POST")
            #expect(recorded.target == "/api/items")
            #expect(String(decoding: recorded.body, as: UTF8.self) == #"{"name":"widget","qty":3}"#)
            #expect(recorded.headers[.contentType] == "application/json")
            #expect(recorded.headers[HTTPField.Name("X-Request-Id")!] == "example-1")
            #expect(recorded.headers[.authorization] == "Bearer t")
            #expect(recorded.headers[.expect] == nil)
        }
    }

    @Test("a base64 body is sent as its bytes, with the caller's Content-Type or none")
    func binaryBody() async throws {
        try await FixtureServer.serving("http_request") { server in
            let bytes = Data([0x00, 0xFF, 0x10, 0x0D, 0x0A])
            let context = try NetworkTest.loopbackContext()
            _ = try await tool.run(["method": "PUT", "url": .string("\(server.url)/blob"), "body": .string(bytes.base64EncodedString()),
                                    "bodyEncoding": "base64", "headers": ["Content-Type": "application/octet-stream"]], in: context)
            _ = try await tool.run(["method": "PATCH", "url": .string("\(server.url)/text"), "body": "a=b"], in: context)
            let recorded = server.recorded
            #expect(recorded.count == 2)
            #expect(recorded.first?.method == "PUT" && recorded.first?.body == bytes)
            #expect(recorded.first?.headers[.contentType] == "application/octet-stream")
            #expect(recorded.last?.method == "PATCH" && recorded.last?.body == Data("a=b".utf8))
            #expect(recorded.last?.headers[.contentType] == nil, "curl's form type is not added")
        }
    }

    @Test("4xx and 5xx are results; binary bodies come back as base64")
    func statusesAndBinary() async throws {
        try await FixtureServer.serving("http_request") { server in
            let context = try NetworkTest.loopbackContext()
            let failed = try await tool.run(["url": .string("\(server.url)/__test/status/503/x")], in: context)
            #expect(failed["status"] == 503)
            #expect(failed["body"] == "status 503")
            let binary = try await tool.run(["url": .string("\(server.url)/__test/respond?type=image/png&base64=iVBORw0KGgo%3D")], in: context)
            #expect(binary["bodyEncoding"] == "base64")
            #expect(binary["body"] == "iVBORw0KGgo=")
        }
    }

    @Test("response header names are lower case; repeats join with a comma, Set-Cookie with a line break")
    func responseHeaders() async throws {
        try await FixtureServer.serving("http_request") { server in
            let url = "\(server.url)/__test/respond?body=x&header=Set-Cookie:a=1;%20Path=/&header=Set-Cookie:b=2"
                + "&header=X-Multi:one&header=X-Multi:two"
            let output = try await tool.run(["url": .string(url)], in: try NetworkTest.loopbackContext())
            #expect(output["headers"]?["set-cookie"] == "a=1; Path=/\nb=2")
            #expect(output["headers"]?["x-multi"] == "one, two")
        }
    }

    @Test("HEAD returns the headers and an empty body")
    func head() async throws {
        try await FixtureServer.serving("http_request") { server in
            let output = try await tool.run(["method": "HEAD", "url": .string("\(server.url)/status.json")], in: try NetworkTest.loopbackContext())
            #expect(output["status"] == 200)
            #expect(output["body"] == "")
            #expect(output["headers"]?["content-length"] == "41")
            #expect(output["truncated"] == false)
        }
    }

    @Test("a 303 after POST continues as GET without body; a 307 repeats the POST with its body")
    func redirectMethods() async throws {
        try await FixtureServer.serving("http_request") { server in
            let context = try NetworkTest.loopbackContext()
            for status in [303, 307] {
                let url = "\(server.url)/__test/redirect?status=\(status)&to=/after/\(status)"
                let output = try await tool.run(["method": "POST", "url": .string(url), "body": "payload"], in: context)
                #expect(output["finalUrl"] == .string("\(server.url)/after/\(status)"))
            }
            let followUps = server.recorded.filter { $0.target.hasPrefix("/after/") }
            #expect(followUps.map(\.method) == ["GET", "POST"])
            #expect(followUps.map { String(decoding: $0.body, as: UTF8.self) } == ["", "payload"])
        }
    }

    @Test("credentials are not sent on to another origin after a redirect")
    func redirectDropsCredentials() async throws {
        try await FixtureServer.serving("http_request") { server in
            let url = "\(server.url)/__test/redirect?to=http://localhost:\(server.port)/elsewhere"
            _ = try await tool.run(["url": .string(url), "headers": ["Authorization": "Bearer secret", "X-Other": "kept"]],
                                   in: try NetworkTest.loopbackContext())
            let arrived = try #require(server.recorded.last)
            #expect(arrived.target == "/elsewhere")
            #expect(arrived.headers[.authorization] == nil)
            #expect(arrived.headers[HTTPField.Name("X-Other")!] == "kept")
        }
    }

    @Test("headers the tool sets, both body and json, bad base64 and a body on HEAD are refused naming the field")
    func badInput() async throws {
        let context = try NetworkTest.loopbackContext()
        let url: JSONValue = "http://127.0.0.1:9/"
        await NetworkTest.expectFailure(of: tool, ["url": url, "headers": ["Host": "evil.example"]], in: context,
                                        kind: .invalidArgument, mentioning: ["headers.Host"])
        await NetworkTest.expectFailure(of: tool, ["url": url, "headers": ["transfer-encoding": "chunked"]], in: context,
                                        kind: .invalidArgument, mentioning: ["headers.transfer-encoding"])
        await NetworkTest.expectFailure(of: tool, ["url": url, "headers": ["X-A": "1\r\nX-Injected: 2"]], in: context,
                                        kind: .invalidArgument, mentioning: ["headers.X-A", "line breaks"])
        await NetworkTest.expectFailure(of: tool, ["url": url, "body": "x", "json": [1]], in: context,
                                        kind: .invalidArgument, mentioning: ["body", "json"])
        await NetworkTest.expectFailure(of: tool, ["url": url, "body": "not base64!", "bodyEncoding": "base64"], in: context,
                                        kind: .invalidArgument, mentioning: ["body", "base64"])
        await NetworkTest.expectFailure(of: tool, ["url": url, "method": "HEAD", "body": "x"], in: context,
                                        kind: .invalidArgument, mentioning: ["body", "HEAD"])
        await NetworkTest.expectFailure(of: tool, ["url": url, "method": "TRACE"], in: context,
                                        kind: .invalidArgument, mentioning: ["method", "TRACE"])
    }
}
