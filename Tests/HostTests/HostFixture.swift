import BuiltinTools
import Foundation
import Host
import Registry
import Sandbox
import TestSupport
import ToolhostCore

/// A host on a fresh data directory: a real SQLite catalog with the built-ins synced, a blob store,
/// the real sandbox, and test packages published through the real publishing pipeline.
struct HostFixture {
    let dataDirectory: URL
    let catalog: SQLiteCatalog
    let blobs: BlobStore
    var configuration: HostConfiguration

    /// One sandbox for the whole test process, like the server's.
    static let sandbox: Sandbox = {
        do { return try Sandbox() } catch { fatalError("the sandbox cannot be created: \(error)") }
    }()

    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    init() throws {
        dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("toolhost-host-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        catalog = try SQLiteCatalog(path: dataDirectory.appendingPathComponent("toolhost.db").path)
        _ = try catalog.syncBuiltins(BuiltinManifests.load(from: Self.repository.appendingPathComponent("Tools")))
        blobs = BlobStore(root: dataDirectory.appendingPathComponent("blobs"))
        configuration = HostConfiguration(dataDirectory: dataDirectory, environment: [:])
    }

    /// A host over this data directory; a second one over the same directory is a restart.
    func host() throws -> ToolHost {
        try ToolHost(configuration: configuration, catalog: catalog, sandbox: Self.sandbox)
    }

    /// A host as after a restart: a new catalog connection and new in-memory state, same files.
    func restartedHost() throws -> ToolHost {
        let reopened = try SQLiteCatalog(path: dataDirectory.appendingPathComponent("toolhost.db").path)
        return try ToolHost(configuration: configuration, catalog: reopened, sandbox: Self.sandbox)
    }

    func publishExample(_ folder: String) throws {
        let archive = try PackageArchiveWriter().pack(directory: Self.repository.appendingPathComponent("Registry/examples/\(folder)"))
        _ = try catalog.publish(PublishRequest(archive: archive, caller: .localAdmin), blobs: blobs)
    }

    /// Publishes `acme/testkit` (see ``TestKit``).
    func publishTestKit(version: String = "1.0.0") throws {
        let builder = try ArchiveBuilder(.tarGzip)
        try builder.file("toolhost.json", TestKit.manifest(version: version).serialized(pretty: true))
        try builder.file("main.py", TestKit.program, mode: 0o755)
        _ = try catalog.publish(PublishRequest(archive: try builder.finish(), caller: .localAdmin), blobs: blobs)
    }

    func remove() {
        try? FileManager.default.removeItem(at: dataDirectory)
    }

    static func caller(level: PrivilegeLevel, scopes: Set<Scope> = [.read, .invoke], tenant: String = "local") -> Caller {
        Caller(keyID: "key-\(level.rawValue)", tenant: tenant, maxPrivilege: level, scopes: scopes)
    }
}

/// A python3 package whose tools let the tests see what the pipeline did:
/// - `record` (level 3: declares egress and writes) appends its text to `runs.txt` in the workspace;
/// - `flaky` fails (exit 3) when asked to, for the circuit breaker;
/// - `liar` returns output that breaks its own outputSchema.
enum TestKit {
    static let program = """
        import json, sys
        message = json.load(sys.stdin)
        tool, data = message["tool"], message["input"]
        if tool == "record":
            with open("/work/runs.txt", "a") as f:
                f.write(data["text"] + "\\n")
            print(json.dumps({"output": {"recorded": data["text"]}}))
        elif tool == "flaky":
            if data.get("fail"):
                print("failing on purpose", file=sys.stderr)
                sys.exit(3)
            print(json.dumps({"output": {"ok": True}}))
        elif tool == "liar":
            print(json.dumps({"output": {"words": "many"}}))

        """

    static func tool(_ name: String, level: Int, input: JSONValue, output: JSONValue, egress: [String] = [], write: Bool = false) -> JSONValue {
        let risky = level >= 3
        return [
            "name": .string(name), "title": .string("Test tool \(name)"), "description": .string("The \(name) tool of the test kit."),
            "inputSchema": input, "outputSchema": output,
            "annotations": ["readOnlyHint": .bool(!write && !risky), "destructiveHint": .bool(risky), "idempotentHint": false,
                            "openWorldHint": .bool(!egress.isEmpty)],
            "privilegeLevel": .int(level),
            "permissions": ["network": ["egress": .array(egress.map(JSONValue.string))], "filesystem": ["write": .bool(write)], "subprocess": false],
            "limits": ["timeoutMs": 10000],
        ]
    }

    static func manifest(version: String) -> JSONValue {
        let text: JSONValue = ["type": "object", "properties": ["text": ["type": "string", "maxLength": 100]], "required": ["text"],
                               "additionalProperties": false]
        return [
            "name": "acme/testkit", "version": .string(version), "description": "Tools for the host's tests.", "license": "MIT",
            "authors": ["Toolhost tests"], "runtime": ["type": "python3", "entrypoint": "main.py"],
            "tools": [
                tool("record", level: 3, input: text, output: ["type": "object", "properties": ["recorded": ["type": "string"]], "required": ["recorded"]],
                     egress: ["api.example.com:443"], write: true),
                tool("flaky", level: 1, input: ["type": "object", "properties": ["fail": ["type": "boolean"]]],
                     output: ["type": "object", "properties": ["ok": ["type": "boolean"]], "required": ["ok"]]),
                tool("liar", level: 1, input: ["type": "object"],
                     output: ["type": "object", "properties": ["words": ["type": "integer"]], "required": ["words"]]),
            ],
        ]
    }
}

extension ToolCallOutcome {
    var result: ToolCallResult? {
        if case .completed(let result) = self { return result }
        return nil
    }

    var approval: Approval? {
        if case .pendingApproval(let approval) = self { return approval }
        return nil
    }
}
