import Foundation
import ToolhostCore

/// A python3 package whose tools let the tests see what the pipeline did:
/// - `record` (level 3: declares egress and writes) appends its text to `runs.txt` in the workspace;
/// - `flaky` fails (exit 3) when asked to, for the circuit breaker;
/// - `liar` returns output that breaks its own outputSchema.
///
/// Shared by the host's tests and the server's, which publish it over HTTP.
public enum TestKit {
    public static let program = """
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

    public static func tool(_ name: String, level: Int, input: JSONValue, output: JSONValue, egress: [String] = [], write: Bool = false) -> JSONValue {
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

    public static func manifest(version: String) -> JSONValue {
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

    /// The package as `toolhost publish` would upload it (`.tar.gz`).
    public static func archive(version: String = "1.0.0") throws -> Data {
        let builder = try ArchiveBuilder(.tarGzip)
        try builder.file("toolhost.json", manifest(version: version).serialized(pretty: true))
        try builder.file("main.py", program, mode: 0o755)
        return try builder.finish()
    }
}
