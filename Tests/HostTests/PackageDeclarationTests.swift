import BuiltinTools
import Foundation
import Host
import Registry
import Testing
import TestSupport
import ToolhostCore

/// What a package declares is what its tools get (issue 9, points 10 and 11): `subprocess: false`
/// means no other program runs, and declared secrets arrive (and only those), never in the
/// environment.
@Suite("package declarations are enforced", .serialized)
struct PackageDeclarationTests {
    static let program = """
        import json, os, subprocess, sys
        message = json.load(sys.stdin)
        tool, data = message["tool"], message["input"]
        if tool == "peek":
            leaked = sorted(k for k, v in os.environ.items() if "s3cr3t" in v or "TOKEN" in k)
            print(json.dumps({"output": {"secrets": message.get("secrets", {}), "inEnvironment": leaked}}))
        elif data["how"] == "subprocess":
            out = subprocess.run(["/bin/sh", "-c", "echo ran"], capture_output=True, text=True).stdout.strip()
            print(json.dumps({"output": {"ran": out}}))
        elif data["how"] == "exec":
            sys.stdout.flush()
            try:
                os.execv("/bin/sh", ["/bin/sh", "-c", "echo '{\\"output\\": {\\"ran\\": \\"exec\\"}}'"])
            except OSError as error:
                print(json.dumps({"output": {"ran": "refused: " + error.strerror}}))
        else:
            import threading
            box = []
            worker = threading.Thread(target=lambda: box.append("thread"))
            worker.start(); worker.join()
            print(json.dumps({"output": {"ran": box[0]}}))
        """

    static func archive() throws -> Data {
        let how: JSONValue = ["type": "object", "properties": ["how": ["type": "string"]], "required": ["how"]]
        let ran: JSONValue = ["type": "object", "properties": ["ran": ["type": "string"]], "required": ["ran"]]
        let peek = with(TestKit.tool("peek", level: 3, input: ["type": "object"], output: ["type": "object"])) { $0["secrets"] = ["API_TOKEN"] }
        let spawnAllowed = with(TestKit.tool("spawn_allowed", level: 2, input: how, output: ran)) { $0["subprocess"] = true }
        let manifest: JSONValue = [
            "name": "acme/declared", "version": "1.0.0", "description": "Declarations under test.", "license": "MIT",
            "authors": ["Toolhost tests"], "runtime": ["type": "python3", "entrypoint": "main.py"],
            "tools": [peek, TestKit.tool("spawn", level: 1, input: how, output: ran), spawnAllowed],
        ]
        let builder = try ArchiveBuilder(.tarGzip)
        try builder.file("toolhost.json", manifest.serialized(pretty: true))
        try builder.file("main.py", program, mode: 0o755)
        return try builder.finish()
    }

    /// `tool` with its permissions changed by `change`.
    static func with(_ tool: JSONValue, _ change: (inout [String: JSONValue]) -> Void) -> JSONValue {
        var members = tool.objectValue ?? [:]
        var permissions = members["permissions"]?.objectValue ?? [:]
        change(&permissions)
        members["permissions"] = .object(permissions)
        return .object(members)
    }

    static func fixture() async throws -> HostFixture {
        var fixture = try await HostFixture()
        fixture.configuration.secrets = ["API_TOKEN": "s3cr3t-token", "OTHER": "s3cr3t-other"]
        _ = try await fixture.stores.registry.publishing.publish(PublishRequest(archive: try archive(), caller: .localAdmin))
        return fixture
    }

    @Test("subprocess: false stops fork and exec by name; a thread still runs; subprocess: true may spawn")
    func subprocessDeclaration() async throws {
        let fixture = try await Self.fixture()
        defer { fixture.remove() }
        let host = try await fixture.host()
        let caller = HostFixture.caller(level: .executeSafe)

        let spawned = try #require(try await host.invoke(ToolCall(tool: "acme/declared/spawn", input: ["how": "subprocess"], caller: caller)).result)
        #expect(spawned.isError)
        #expect(spawned.error?.type.rawValue == "denied", "\(String(describing: spawned.error))")
        #expect(spawned.error?.message.contains("system call") == true, "\(String(describing: spawned.error))")
        #expect(spawned.usage.sandbox?.outcome == "syscall_blocked")

        let execed = try #require(try await host.invoke(ToolCall(tool: "acme/declared/spawn", input: ["how": "exec"], caller: caller)).result)
        #expect(execed.output["ran"]?.stringValue?.hasPrefix("refused") == true, "\(String(describing: execed.output)) \(String(describing: execed.error))")

        let threaded = try #require(try await host.invoke(ToolCall(tool: "acme/declared/spawn", input: ["how": "thread"], caller: caller)).result)
        #expect(threaded.output["ran"] == "thread", "\(String(describing: threaded.error))")

        let allowed = try #require(try await host.invoke(ToolCall(tool: "acme/declared/spawn_allowed", input: ["how": "subprocess"], caller: caller)).result)
        #expect(allowed.output["ran"] == "ran", "\(String(describing: allowed.error))")
    }

    @Test("a packaged tool gets the secrets it declares on stdin, no others, and none in its environment")
    func declaredSecrets() async throws {
        let fixture = try await Self.fixture()
        defer { fixture.remove() }
        let host = try await fixture.host()
        let caller = HostFixture.caller(level: .executeRisky, scopes: [.read, .invoke, .approve])
        let pending = try #require(try await host.invoke(ToolCall(tool: "acme/declared/peek", input: [:], caller: caller)).approval)
        let approved = try await host.approve(pending.id, by: caller)
        let output = try #require(approved.result?.output, "\(String(describing: approved.result?.error))")
        #expect(output["secrets"] == ["API_TOKEN": "s3cr3t-token"], "\(output)")
        #expect(output["inEnvironment"] == [])
    }
}
