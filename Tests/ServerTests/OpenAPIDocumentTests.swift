import TestSupport
import Foundation
import HTTPTypes
import Host
import HummingbirdTesting
import NIOCore
import Registry
import Server
import Testing
import ToolhostCore

@Suite("/openapi.json")
struct OpenAPIDocumentTests {
    /// The document as the live server serves it.
    static func served(by fixture: ServerFixture) async throws -> JSONValue {
        let document = Box<JSONValue>(.null)
        try await fixture.withClient { client in
            try await client.execute(uri: "/openapi.json", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                document.value = response.json
            }
        }
        return document.value
    }

    @Test("the served document is a valid OpenAPI 3.1 document by the OpenAPI Initiative's schema, checked with our validator")
    func validAgainstTheOpenAPISchema() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        let document = try await Self.served(by: fixture)
        let schema = try JSONSchema(try JSONValue(parsing: OpenAPI31Schema.text))
        let result = schema.validate(document)
        #expect(result.isValid, "\(result.errors.prefix(10).map { "\($0.instanceLocation) \($0.keywordLocation): \($0.message)" })")
        #expect(document["openapi"]?.stringValue?.hasPrefix("3.1.") == true)

        // The OpenAPI schema leaves Schema Objects open ($dynamicRef to any object), so each one is
        // checked on its own: a valid 2020-12 schema whose references all resolve in the document.
        let contract = try OpenAPIContract(document)
        let schemas = try #require(document["components"]?["schemas"]?.objectValue)
        #expect(schemas.count >= 20)
        for (name, component) in schemas {
            let meta = JSONSchema.metaSchema.validate(component)
            #expect(meta.isValid, "components/schemas/\(name): \(meta.errors.prefix(3).map(\.message))")
            #expect(throws: Never.self, "components/schemas/\(name) does not compile") {
                _ = try contract.compile(reference: "#/components/schemas/\(name)")
            }
        }
        // The same for the schemas written inline in parameters and responses.
        for (pointer, schema) in Self.inlineSchemas(in: document) {
            #expect(JSONSchema.metaSchema.isValid(schema), "\(pointer) is not a valid JSON Schema")
            #expect(throws: Never.self, "\(pointer) does not compile") { _ = try contract.compile(OpenAPIContract.absolute(schema)) }
        }
    }

    @Test("every route the server registers is in the document, and every operation of the document is a registered route")
    func routesAndDocumentAgree() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        let document = try await Self.served(by: fixture)
        let registered = Set(fixture.server.routes.map(\.description))
        let described = try OpenAPIContract(document).operations
        #expect(registered.count == fixture.server.routes.count, "a route is registered twice")
        #expect(registered.subtracting(described).isEmpty, "registered but not described: \(registered.subtracting(described).sorted())")
        #expect(described.subtracting(registered).isEmpty, "described but not registered: \(described.subtracting(registered).sorted())")
        #expect(registered.count >= 14)

        // Each operation declares exactly the path parameters of its template, and ids are unique.
        var operationIds: [String] = []
        for (path, item) in document["paths"]?.objectValue ?? [:] {
            let templated = Set(path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) })
            for (method, operation) in item.objectValue ?? [:] where OpenAPIContract.methods.contains(method) {
                let declared = Set((operation["parameters"]?.arrayValue ?? []).filter { $0["in"] == "path" }.compactMap { $0["name"]?.stringValue })
                #expect(declared == templated, "\(method) \(path): path parameters \(declared.sorted()) for template \(templated.sorted())")
                operationIds.append(operation["operationId"]?.stringValue ?? "")
                #expect(operation["tags"]?.arrayValue?.isEmpty == false, "\(method) \(path) has no tag")
            }
        }
        #expect(Set(operationIds).count == operationIds.count && !operationIds.contains(""))
    }

    @Test("what the document says about keys holds: public operations answer without one, every other is 401 without one")
    func securityMatchesTheServer() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        let document = try await Self.served(by: fixture)
        #expect(document["components"]?["securitySchemes"]?["bearerAuth"]?["scheme"] == "bearer")
        #expect(document["security"] == [["bearerAuth": []]])
        let operations = (document["paths"]?.objectValue ?? [:]).flatMap { path, item in
            (item.objectValue ?? [:]).filter { OpenAPIContract.methods.contains($0.key) }.map { (path, $0.key, $0.value) }
        }
        try await fixture.withClient { client in
            for (path, method, operation) in operations {
                // Any value fits the templates; authentication runs before the parameters are read.
                let uri = path.replacingOccurrences(of: #"\{[a-z]+\}"#, with: "1.0.0", options: .regularExpression)
                let isPublic = operation["security"] == []
                try await client.execute(uri: uri, method: HTTPRequest.Method(method.uppercased())!) { response in
                    if isPublic {
                        #expect(response.status == .ok, "\(method) \(path) is documented as public")
                    } else {
                        #expect(response.status == .unauthorized, "\(method) \(path) is documented as needing a key")
                        #expect(response.json["error"]?["code"] == "unauthorized")
                        #expect(operation["responses"]?["401"] != nil, "\(method) \(path) does not document its 401")
                    }
                }
            }
        }
    }

    @Test("every operation's live responses, successes and errors, match the documented status, content type, headers and schema")
    func responsesMatchTheDocument() async throws {
        // One failure opens a circuit, so that the 503 of a call is one request away.
        let fixture = try await ServerFixture { configuration in
            configuration.breakers.failureThreshold = 1
            configuration.breakers.coolDown = 300
        }
        defer { fixture.cleanUp() }
        try await fixture.publishTestKit()
        let contract = try OpenAPIContract(try await Self.served(by: fixture))
        let admin = fixture.server.adminKey
        let reader = try await fixture.server.registry.keys.createAPIKey(tenant: "local", name: "reader", maxPrivilege: .readOnly, scopes: [.read]).secret
        let signer = PackageSigningKey.generate()
        let archive = try TestPackages.archive()
        try await fixture.withClient { client in
            @discardableResult
            func call(_ method: HTTPRequest.Method, _ template: String, _ uri: String, as caller: Who = .admin,
                      headers extra: HTTPFields = [:], body: ByteBuffer? = nil, expect status: HTTPResponse.Status,
                      sourceLocation: SourceLocation = #_sourceLocation) async throws -> JSONValue {
                let key = switch caller {
                case .admin: admin
                case .reader: reader
                case .anonymous: String?.none
                }
                var headers = ServerFixture.headers(key)
                headers.append(contentsOf: extra)
                return try await client.execute(uri: uri, method: method, headers: headers, body: body) { response in
                    #expect(response.status == status, "\(method) \(uri): \(response.json)", sourceLocation: sourceLocation)
                    contract.check(method, template, response, sourceLocation: sourceLocation)
                    return response.json
                }
            }
            let json = { (text: String) in ByteBuffer(string: text) }
            try await call(.get, "/healthz", "/healthz", as: .anonymous, expect: .ok)
            try await call(.get, "/readyz", "/readyz", as: .anonymous, expect: .ok)
            try await call(.get, "/openapi.json", "/openapi.json", as: .anonymous, expect: .ok)

            try await call(.get, "/api/v1/tools", "/api/v1/tools?limit=5", expect: .ok)
            try await call(.get, "/api/v1/tools", "/api/v1/tools?q=hash&maxPrivilege=READ_ONLY&readOnly=true&takes=data", expect: .ok)
            try await call(.get, "/api/v1/tools", "/api/v1/tools?limit=500", expect: .unprocessableContent)
            try await call(.get, "/api/v1/tools", "/api/v1/tools", as: .anonymous, expect: .unauthorized)
            try await call(.get, "/api/v1/tools/{name}", "/api/v1/tools/file_read", expect: .ok)
            try await call(.get, "/api/v1/tools/{name}", "/api/v1/tools/no_such_tool", expect: .notFound)
            try await call(.get, "/api/v1/tools/{name}", "/api/v1/tools/file_read?version=one", expect: .unprocessableContent)

            try await call(.post, "/api/v1/namespaces/{namespace}/signing-keys", "/api/v1/namespaces/acme/signing-keys",
                           body: json(#"{"publicKey": "\#(signer.publicKey.base64)"}"#), expect: .created)
            try await call(.post, "/api/v1/namespaces/{namespace}/signing-keys", "/api/v1/namespaces/acme/signing-keys",
                           body: json(#"{"publicKey": "bm90IGEga2V5"}"#), expect: .unprocessableContent)
            var signed = HTTPFields()
            signed[HTTPField.Name("X-Toolhost-Checksum")!] = PackageDigest(of: archive).hex
            signed[HTTPField.Name("X-Toolhost-Signature")!] = try signer.sign(archive).base64EncodedString()
            try await call(.post, "/api/v1/packages", "/api/v1/packages", headers: signed, body: ByteBuffer(bytes: archive), expect: .created)
            try await call(.post, "/api/v1/packages", "/api/v1/packages", headers: signed, body: ByteBuffer(bytes: archive), expect: .conflict)
            try await call(.post, "/api/v1/packages", "/api/v1/packages", body: ByteBuffer(bytes: try TestPackages.archive(version: "1.0.1")),
                           expect: .unprocessableContent)
            try await call(.post, "/api/v1/packages", "/api/v1/packages", as: .reader, body: ByteBuffer(bytes: archive), expect: .forbidden)
            try await call(.post, "/api/v1/packages", "/api/v1/packages", body: ByteBuffer(bytes: try Self.bomb()), expect: .contentTooLarge)

            try await call(.get, "/api/v1/tools/{name}/{package}/{tool}", "/api/v1/tools/acme/echo/echo", expect: .ok)
            try await call(.get, "/api/v1/tools/{name}/{package}/{tool}", "/api/v1/tools/acme/echo/echo?version=1.0.0", expect: .ok)
            try await call(.get, "/api/v1/packages/{namespace}/{package}", "/api/v1/packages/acme/echo", expect: .ok)
            try await call(.get, "/api/v1/packages/{namespace}/{package}", "/api/v1/packages/acme/nothing", expect: .notFound)
            let version = "/api/v1/packages/{namespace}/{package}/versions/{version}"
            try await call(.get, version, "/api/v1/packages/acme/echo/versions/1.0.0", expect: .ok)
            try await call(.get, version, "/api/v1/packages/toolhost/file_read/versions/1.0.0", expect: .ok)
            try await call(.get, version, "/api/v1/packages/acme/echo/versions/9.9.9", expect: .notFound)
            try await call(.get, version, "/api/v1/packages/acme/echo/versions/latest", expect: .unprocessableContent)
            try await call(.get, version + "/archive", "/api/v1/packages/acme/echo/versions/1.0.0/archive", expect: .ok)
            try await call(.post, version + "/yank", "/api/v1/packages/acme/echo/versions/1.0.0/yank",
                           body: json(#"{"reason": "leaks the input"}"#), expect: .ok)
            try await call(.post, version + "/yank", "/api/v1/packages/acme/echo/versions/1.0.0/yank", body: json(#"{"reason": 7}"#),
                           expect: .unprocessableContent)
            try await call(.get, "/api/v1/packages/{namespace}/{package}", "/api/v1/packages/acme/echo", expect: .ok)
            try await call(.post, version + "/unyank", "/api/v1/packages/acme/echo/versions/1.0.0/unyank", expect: .ok)
            try await call(.post, version + "/deprecate", "/api/v1/packages/acme/echo/versions/1.0.0/deprecate",
                           body: json(#"{"message": "use 2.x"}"#), expect: .ok)
            try await call(.post, version + "/deprecate", "/api/v1/packages/toolhost/file_read/versions/1.0.0/deprecate",
                           body: json(#"{"message": "no"}"#), expect: .forbidden)
            try await call(.get, "/api/v1/tools", "/api/v1/tools?q=echo", expect: .ok)

            try await call(.post, "/api/v1/keys", "/api/v1/keys",
                           body: json(#"{"tenant": "acme", "maxPrivilege": 2, "scopes": ["read", "publish"]}"#), expect: .created)
            try await call(.post, "/api/v1/keys", "/api/v1/keys", body: json(#"{"maxPrivilege": 2, "scopes": ["fly"]}"#),
                           expect: .unprocessableContent)
            try await call(.post, "/api/v1/keys", "/api/v1/keys", as: .reader, body: json(#"{"maxPrivilege": 1, "scopes": ["read"]}"#),
                           expect: .forbidden)

            try await Self.exerciseHost(call: call, json: json)
        }
        #expect(contract.unexercised.isEmpty, "operations no check saw succeed: \(contract.unexercised.sorted())")
    }

    @Test(
        "openapi-spec-validator, the reference Python validator, accepts the served document",
        .enabled(if: PythonValidator.isAvailable, "python3 -m openapi_spec_validator is not installed"))
    func referenceValidatorAccepts() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        let document = try await Self.served(by: fixture)
        let file = fixture.directory.appendingPathComponent("openapi.json")
        try Data(document.serialized(pretty: true).utf8).write(to: file)
        let result = try await offPool { try PythonValidator.run(["-m", "openapi_spec_validator", "--schema", "3.1", file.path]) }
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("OK"), "\(result.output)")
    }

    /// The host's operations, live: calls (200, 202, 403, 404, 422, 503), approvals, agents, circuits, traces.
    /// `acme/echo` (published over HTTP above) and `acme/testkit` run in the sandbox.
    /// `call` is the test's own: method, template, URI, whose key, headers, body, expected status, source location.
    static func exerciseHost(
        call: (HTTPRequest.Method, String, String, Who, HTTPFields, ByteBuffer?, HTTPResponse.Status, SourceLocation) async throws -> JSONValue,
        json: (String) -> ByteBuffer
    ) async throws {
        @discardableResult
        func send(_ method: HTTPRequest.Method, _ template: String, _ uri: String, as who: Who = .admin, _ body: String? = nil,
                  expect status: HTTPResponse.Status, location: SourceLocation = #_sourceLocation) async throws -> JSONValue {
            try await call(method, template, uri, who, [:], body.map(json), status, location)
        }
        let byName = "/api/v1/tools/{name}/invoke"
        let byTool = "/api/v1/tools/{name}/{package}/{tool}/invoke"
        let echo = #"{"input": {"text": "hi"}}"#
        try await send(.post, byTool, "/api/v1/tools/acme/echo/echo/invoke", echo, expect: .ok)
        try await send(.post, "/api/v1/tools/{name}/{package}/invoke", "/api/v1/tools/acme/echo/invoke", echo, expect: .ok)
        try await send(.post, byName, "/api/v1/tools/acme%2Fecho%2Fecho%401.0.0/invoke", echo, expect: .ok)
        try await send(.post, byName, "/api/v1/tools/file_write/invoke", as: .reader, #"{"input": {}}"#, expect: .forbidden)
        try await send(.post, byName, "/api/v1/tools/no_such_tool/invoke", #"{"input": {}}"#, expect: .notFound)
        try await send(.post, byTool, "/api/v1/tools/acme/echo/echo/invoke", #"{"input": {"text": 1}}"#, expect: .unprocessableContent)
        try await send(.post, byTool, "/api/v1/tools/acme/testkit/flaky/invoke", #"{"input": {"fail": true}}"#, expect: .ok)
        try await send(.post, byTool, "/api/v1/tools/acme/testkit/flaky/invoke", #"{"input": {}}"#, expect: .serviceUnavailable)

        let record = "/api/v1/tools/acme/testkit/record/invoke"
        let gated = try await send(.post, byTool, record, #"{"input": {"text": "gated"}}"#, expect: .accepted)
        let approval = "/api/v1/approvals/" + (gated["approval"]?["id"]?.stringValue ?? "none")
        try await send(.get, "/api/v1/approvals", "/api/v1/approvals?status=pending", expect: .ok)
        try await send(.get, "/api/v1/approvals", "/api/v1/approvals?status=later", expect: .unprocessableContent)
        try await send(.get, "/api/v1/approvals/{id}", approval, expect: .ok)
        try await send(.get, "/api/v1/approvals/{id}", "/api/v1/approvals/apr_none", expect: .notFound)
        try await send(.post, "/api/v1/approvals/{id}/approve", approval + "/approve", as: .reader, expect: .forbidden)
        try await send(.post, "/api/v1/approvals/{id}/approve", approval + "/approve", #"{"input": {"text": 5}}"#, expect: .unprocessableContent)
        try await send(.post, "/api/v1/approvals/{id}/approve", approval + "/approve", #"{"reason": "fine"}"#, expect: .ok)
        try await send(.post, "/api/v1/approvals/{id}/approve", approval + "/approve", expect: .conflict)
        try await send(.get, "/api/v1/approvals/{id}", approval, expect: .ok)
        let second = try await send(.post, byTool, record, #"{"input": {"text": "no"}}"#, expect: .accepted)
        let rejected = "/api/v1/approvals/" + (second["approval"]?["id"]?.stringValue ?? "none") + "/reject"
        try await send(.post, "/api/v1/approvals/{id}/reject", rejected, #"{"reason": "no"}"#, expect: .ok)
        try await send(.post, "/api/v1/approvals/{id}/reject", rejected, expect: .conflict)
        try await send(.post, "/api/v1/approvals/{id}/reject", rejected, #"{"reason": 1}"#, expect: .unprocessableContent)

        let helper = #"{"name": "helper", "maxPrivilege": 1, "tools": ["acme/echo/*"]}"#
        let agent = try await send(.post, "/api/v1/agents", "/api/v1/agents", helper, expect: .created)
        let agentPath = "/api/v1/agents/" + (agent["id"]?.stringValue ?? "none")
        try await send(.post, "/api/v1/agents", "/api/v1/agents", helper, expect: .conflict)
        try await send(.post, "/api/v1/agents", "/api/v1/agents", as: .reader, helper, expect: .forbidden)
        try await send(.post, "/api/v1/agents", "/api/v1/agents", #"{"name": "x", "maxPrivilege": 1, "tools": ["no spaces"]}"#,
                       expect: .unprocessableContent)
        try await send(.get, "/api/v1/agents", "/api/v1/agents", expect: .ok)
        try await send(.get, "/api/v1/agents/{id}", agentPath, expect: .ok)
        try await send(.get, "/api/v1/agents/{id}", "/api/v1/agents/agt_none", expect: .notFound)
        let agentCall = #"{"tool": "acme/echo/echo", "input": {"text": "hi"}}"#
        try await send(.post, "/api/v1/agents/{id}/invoke", agentPath + "/invoke", agentCall, expect: .ok)
        try await send(.post, "/api/v1/agents/{id}/invoke", agentPath + "/invoke", #"{"tool": "acme/testkit/liar", "input": {}}"#,
                       expect: .forbidden)
        let grants = #"{"tools": ["acme/*"], "approvalRequired": ["acme/echo/*"]}"#
        try await send(.put, "/api/v1/agents/{id}/tools", agentPath + "/tools", grants, expect: .ok)
        try await send(.put, "/api/v1/agents/{id}/tools", agentPath + "/tools", as: .reader, grants, expect: .forbidden)
        try await send(.put, "/api/v1/agents/{id}/tools", "/api/v1/agents/agt_none/tools", grants, expect: .notFound)
        try await send(.put, "/api/v1/agents/{id}/tools", agentPath + "/tools", #"{"tools": ["a b"]}"#, expect: .unprocessableContent)
        try await send(.post, "/api/v1/agents/{id}/invoke", agentPath + "/invoke", agentCall, expect: .accepted)

        try await send(.get, "/api/v1/circuits", "/api/v1/circuits", expect: .ok)
        try await send(.get, "/api/v1/tools/{name}/circuit", "/api/v1/tools/file_read/circuit", expect: .ok)
        try await send(.get, "/api/v1/tools/{name}/circuit", "/api/v1/tools/nothing/circuit", expect: .notFound)
        try await send(.get, "/api/v1/tools/{name}/{package}/{tool}/circuit", "/api/v1/tools/acme/testkit/flaky/circuit", expect: .ok)
        let spans = try await send(.get, "/api/v1/traces", "/api/v1/traces?limit=50", expect: .ok)
        try await send(.get, "/api/v1/traces", "/api/v1/traces?tool=acme/echo/echo", expect: .ok)
        try await send(.get, "/api/v1/traces", "/api/v1/traces?limit=x", expect: .unprocessableContent)
        try await send(.get, "/api/v1/traces/{id}", "/api/v1/traces/" + (spans["spans"]?[0]?["traceId"]?.stringValue ?? "none"), expect: .ok)
        try await send(.get, "/api/v1/traces/{id}", "/api/v1/traces/none", expect: .notFound)
    }

    /// Whose key a request of ``responsesMatchTheDocument()`` carries.
    enum Who { case admin, reader, anonymous }

    /// 8 MiB of zeros in a few kilobytes: refused for its expansion ratio.
    static func bomb() throws -> Data {
        let builder = try ArchiveBuilder(.tarGzip)
        try builder.file("toolhost.json", UploadManifest.text())
        try builder.zeros("zeros.bin", count: 8 << 20)
        return try builder.finish()
    }

    /// Every schema written inline in a parameter or a response, by a pointer-like location.
    static func inlineSchemas(in document: JSONValue) -> [(String, JSONValue)] {
        var found: [(String, JSONValue)] = []
        for (path, item) in document["paths"]?.objectValue ?? [:] {
            for (method, operation) in item.objectValue ?? [:] where OpenAPIContract.methods.contains(method) {
                for (index, parameter) in (operation["parameters"]?.arrayValue ?? []).enumerated() {
                    if let schema = parameter["schema"] { found.append(("\(method) \(path) parameters[\(index)]", schema)) }
                }
                for (status, response) in operation["responses"]?.objectValue ?? [:] {
                    for (type, media) in response["content"]?.objectValue ?? [:] {
                        if let schema = media["schema"] { found.append(("\(method) \(path) \(status) \(type)", schema)) }
                    }
                }
            }
        }
        return found
    }
}

/// `python3` (the first on PATH), when it has the openapi-spec-validator package.
enum PythonValidator {
    static let isAvailable: Bool = (try? run(["-c", "import openapi_spec_validator"]).status) == 0

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
