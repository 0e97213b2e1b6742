import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Registry
import Sandbox
import Server
import Testing
import ToolhostCore

/// The real server on a loopback port with a real SQLite file in a fresh data directory, and the
/// real sandbox for packaged tools.
struct ServerFixture {
    let directory: URL
    let server: ToolhostServer

    /// One sandbox for the whole test process. Each server creating its own with prewarmed cgroups
    /// would not do: a new sandbox sweeps the empty run cgroups it finds, and those are the other
    /// servers' prewarmed ones.
    static let sandbox: Sandbox = {
        do { return try Sandbox() } catch { fatalError("the sandbox cannot be created: \(error)") }
    }()

    init(configure: (inout ServerConfiguration) -> Void = { _ in }) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("toolhost-server-\(UUID().uuidString)")
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.dataDirectory = directory
        configuration.sandbox = Self.sandbox
        configuration.secrets = [:]
        configure(&configuration)
        server = try await ToolhostServer(configuration: configuration)
    }

    func cleanUp() { try? FileManager.default.removeItem(at: directory) }

    /// Runs `body` against the live server.
    func withClient(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await server.application().test(.live) { client in try await body(client) }
    }

    static func headers(_ key: String?) -> HTTPFields {
        var fields = HTTPFields()
        if let key { fields[.authorization] = "Bearer \(key)" }
        return fields
    }
}

extension TestResponse {
    var json: JSONValue { (try? JSONValue(parsing: Data(body.readableBytesView))) ?? .null }
}

/// A tiny package archive built in the test, as `toolhost publish` would send it.
enum TestPackages {
    static func archive(name: String = "acme/echo", version: String = "1.0.0", level: Int = 1, egress: [String] = [], required: [String] = []) throws -> Data {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("toolhost-pkg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let readOnly = egress.isEmpty
        let manifest: JSONValue = [
            "name": .string(name), "version": .string(version), "description": "Echoes its input.", "license": "MIT",
            "authors": ["Test"], "runtime": ["type": "python3", "entrypoint": "main.py"],
            "tools": [[
                "name": "echo", "title": "Echo", "description": "Returns the text it is given.",
                "inputSchema": ["type": "object", "properties": ["text": ["type": "string"]], "required": .array(required.map(JSONValue.string))],
                "outputSchema": ["type": "object", "properties": ["text": ["type": "string"]]],
                "annotations": ["readOnlyHint": .bool(readOnly), "destructiveHint": false, "idempotentHint": true, "openWorldHint": .bool(!readOnly)],
                "privilegeLevel": .int(level),
                "permissions": ["network": ["egress": .array(egress.map(JSONValue.string))]],
                "limits": ["timeoutMs": 5000],
            ]],
        ]
        try Data(manifest.serialized(pretty: true).utf8).write(to: directory.appendingPathComponent("toolhost.json"))
        try Data("import json,sys\nrequest=json.load(sys.stdin)\nprint(json.dumps({'output': request['input']}))\n".utf8)
            .write(to: directory.appendingPathComponent("main.py"))
        return try PackageArchiveWriter().pack(directory: directory)
    }
}
