import Foundation
import ToolhostCore

/// The files of a new package for one runtime: a manifest with one tool and an example, an
/// entrypoint that follows the runtime protocol, and a README. It publishes as it is, and
/// `toolhost test` passes on it.
struct PackageTemplate {
    enum Runtime: String, CaseIterable, Sendable {
        case python3, node, sh
    }

    var name: String
    var runtime: Runtime

    /// The entrypoint's file name.
    var entrypoint: String {
        switch runtime {
        case .python3: "main.py"
        case .node: "main.js"
        case .sh: "main.sh"
        }
    }

    /// Every file, by its path in the package.
    var files: [String: String] {
        ["toolhost.json": manifest.serialized(pretty: true) + "\n", entrypoint: program, "README.md": readme]
    }

    var manifest: JSONValue {
        [
            "name": .string(name), "version": "0.1.0", "description": "Greets someone by name.", "license": "MIT",
            "authors": .array([.string(ProcessInfo.processInfo.environment["USER"] ?? "me")]),
            "runtime": ["type": .string(runtime.rawValue), "entrypoint": .string(entrypoint)],
            "tools": [[
                "name": "hello", "title": "Say hello", "description": "Returns a greeting for the name it is given.",
                "inputSchema": [
                    "type": "object", "additionalProperties": false, "required": ["name"],
                    "properties": ["name": ["type": "string", "minLength": 1, "maxLength": 100, "description": "Who to greet."]],
                ],
                "outputSchema": [
                    "type": "object", "additionalProperties": false, "required": ["greeting"],
                    "properties": ["greeting": ["type": "string", "description": "The greeting."]],
                ],
                // Only reads its input: level 1 READ_ONLY. Without these hints the tool would be level 2.
                "annotations": ["readOnlyHint": true, "idempotentHint": true],
                "examples": [["name": "ada", "input": ["name": "Ada"], "output": ["greeting": "Hello, Ada!"]]],
            ]],
        ]
    }

    var program: String {
        switch runtime {
        case .python3:
            """
            # The runtime protocol: one JSON object on stdin, {"tool": …, "input": {…}}; one on stdout,
            # {"output": {…}} or {"error": {"message": …}}. stderr is a log.
            import json
            import sys

            request = json.load(sys.stdin)
            if request["tool"] == "hello":
                print(json.dumps({"output": {"greeting": f"Hello, {request['input']['name']}!"}}))
            else:
                print(json.dumps({"error": {"message": f"unknown tool {request['tool']}"}}))

            """
        case .node:
            """
            // The runtime protocol: one JSON object on stdin, {"tool": …, "input": {…}}; one on stdout,
            // {"output": {…}} or {"error": {"message": …}}. stderr is a log.
            const chunks = [];
            process.stdin.on("data", (chunk) => chunks.push(chunk));
            process.stdin.on("end", () => {
              const request = JSON.parse(Buffer.concat(chunks).toString("utf8"));
              const answer = request.tool === "hello"
                ? { output: { greeting: `Hello, ${request.input.name}!` } }
                : { error: { message: `unknown tool ${request.tool}` } };
              process.stdout.write(JSON.stringify(answer) + "\\n");
            });

            """
        case .sh:
            """
            # The runtime protocol: one JSON object on stdin, {"input":{…},"tool":…} (compact, keys
            # sorted); one on stdout, {"output": {…}} or {"error": {"message": …}}. stderr is a log.
            # Only shell built-ins here: without "subprocess": true in the manifest's permissions, the
            # sandbox lets this script start no other program. This reading of JSON is naive (a name
            # with a quote or a backslash breaks it); a python3 package parses JSON properly.
            IFS= read -r request || true
            name=${request#*\\"name\\":\\"}
            name=${name%%\\"*}
            printf '{"output": {"greeting": "Hello, %s!"}}\\n' "$name"

            """
        }
    }

    var readme: String {
        """
        # \(name)

        Greets someone by name: a Toolhost tool package for the \(runtime.rawValue) runtime.

        ```sh
        toolhost test .                                    # run the examples in toolhost.json
        toolhost run . hello --input '{"name": "Ada"}'     # call the tool in the sandbox, as a host would
        toolhost publish .                                 # publish to the server (TOOLHOST_SERVER, TOOLHOST_KEY)
        ```

        """
    }

    /// A package name for a new package in `directory`: `local/<the directory's name, made valid>`.
    static func defaultName(for directory: URL) -> String {
        let base = directory.standardizedFileURL.lastPathComponent.lowercased()
        var package = String(base.map { $0.isLetter && $0.isASCII || $0.isNumber && $0.isASCII || $0 == "-" || $0 == "_" ? $0 : "-" })
        while let first = package.first, !(first.isLetter || first.isNumber) { package.removeFirst() }
        return "local/" + (package.isEmpty ? "my-tool" : String(package.prefix(64)))
    }
}
