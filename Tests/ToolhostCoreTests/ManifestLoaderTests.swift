import Foundation
import Testing
import ToolhostCore

@Suite("Loading toolhost.json manifests")
struct ManifestLoaderTests {
    /// A small, valid community package manifest, edited by each test to break one thing.
    static let valid: JSONValue = [
        "name": "acme/word-count",
        "version": "1.2.0",
        "description": "Counts words.",
        "license": "MIT",
        "authors": ["Ada Lovelace", ["name": "Grace", "email": "grace@example.com"]],
        "runtime": ["type": "python3", "entrypoint": "main.py"],
        "tools": [[
            "name": "count",
            "title": "Count words",
            "description": "Counts the words of a text.",
            "inputSchema": ["type": "object", "required": ["text"], "properties": ["text": ["type": "string"]]],
            "outputSchema": ["type": "object", "properties": ["words": ["type": "integer"]]],
            "annotations": ["readOnlyHint": true, "destructiveHint": false, "idempotentHint": true, "openWorldHint": false],
            "privilegeLevel": 1,
            "permissions": ["subprocess": false, "filesystem": ["write": false]],
            "limits": ["timeoutMs": 5000],
            "examples": [["name": "two-words", "input": ["text": "a b"], "output": ["words": 2]]],
        ]],
    ]

    static func load(_ document: JSONValue, source: String = "acme/toolhost.json") throws(ToolhostError) -> LoadedManifest {
        try ManifestLoader.load(data: Data(document.serialized().utf8), source: source)
    }

    /// Loads `document` expecting it to be refused, and returns the error.
    static func refusal(_ document: JSONValue) throws -> ToolhostError {
        do {
            _ = try load(document)
        } catch {
            return error
        }
        Issue.record("the manifest was accepted")
        return ToolhostError(.internalError, "accepted")
    }

    /// The problems of a refused manifest, as `field` → messages.
    static func problems(_ error: ToolhostError) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for problem in error.details?["problems"]?.arrayValue ?? [] {
            result[problem["field"]?.stringValue ?? "", default: []].append(problem["message"]?.stringValue ?? "")
        }
        return result
    }

    static func editing(_ pointer: String, to value: JSONValue?) throws -> JSONValue {
        try valid.replacing(at: JSONPointer(parsing: pointer), with: value)
    }

    @Test("a valid manifest loads into the typed model")
    func validManifest() throws {
        let loaded = try Self.load(Self.valid)
        #expect(loaded.manifest.name == "acme/word-count")
        #expect(loaded.manifest.namespace == "acme")
        #expect(loaded.manifest.version == SemanticVersion(1, 2, 0))
        #expect(loaded.manifest.authors.map(\.name) == ["Ada Lovelace", "Grace"])
        #expect(loaded.manifest.tools[0].privilegeLevel == .readOnly)
        #expect(loaded.manifest.tools[0].annotations.isReadOnly)
    }

    @Test("malformed JSON names the file, line and column")
    func malformedJSON() throws {
        do {
            _ = try ManifestLoader.load(data: Data("{\n  \"name\": \"a/b\",\n  \"version\" \"1.0.0\"\n}".utf8), source: "pkg/toolhost.json")
            Issue.record("malformed JSON was accepted")
        } catch {
            #expect(error.code == .invalidManifest)
            #expect(error.message.hasPrefix("pkg/toolhost.json:3:"))
            #expect(error.details?["line"] == 3)
        }
    }

    @Test("a missing field is named with its path and what was expected")
    func missingField() throws {
        let error = try Self.refusal(try Self.editing("/tools/0/inputSchema", to: nil))
        #expect(error.code == .invalidManifest)
        #expect(error.message.contains("acme/toolhost.json"))
        #expect(error.message.contains("inputSchema"))
        #expect(Self.problems(error)["tools[0]"]?.contains { $0.contains("inputSchema") } == true)
    }

    @Test("a field of the wrong type or out of range is named")
    func wrongTypes() throws {
        let level = try Self.refusal(try Self.editing("/tools/0/privilegeLevel", to: "high"))
        #expect(Self.problems(level)["tools[0].privilegeLevel"] != nil, "\(level.message)")
        let tooHigh = try Self.refusal(try Self.editing("/tools/0/privilegeLevel", to: 9))
        #expect(Self.problems(tooHigh)["tools[0].privilegeLevel"] != nil, "\(tooHigh.message)")
        let version = try Self.refusal(try Self.editing("/version", to: "1.02"))
        #expect(Self.problems(version)["version"] != nil, "\(version.message)")
        let runtime = try Self.refusal(try Self.editing("/runtime/type", to: "ruby"))
        #expect(Self.problems(runtime)["runtime.type"] != nil, "\(runtime.message)")
    }

    @Test("an unknown field is refused, so typos do not pass silently")
    func unknownField() throws {
        let error = try Self.refusal(try Self.editing("/tools/0/privilegelevel", to: 1))
        #expect(error.message.contains("privilegelevel"), "\(error.message)")
    }

    @Test("a tool schema that is not a usable JSON Schema names the tool's field")
    func badToolSchema() throws {
        let badType = try Self.refusal(try Self.editing("/tools/0/inputSchema/properties/text/type", to: "strnig"))
        #expect(badType.message.contains("tools[0].inputSchema"), "\(badType.message)")
        let badRegex = try Self.refusal(try Self.editing("/tools/0/inputSchema/properties/text/pattern", to: "(unclosed"))
        #expect(Self.problems(badRegex)["tools[0].inputSchema"] != nil, "\(badRegex.message)")
        let dangling = try Self.refusal(try Self.editing("/tools/0/outputSchema/properties/words/$ref", to: "#/$defs/missing"))
        #expect(Self.problems(dangling)["tools[0].outputSchema"] != nil, "\(dangling.message)")
    }

    @Test("duplicate tool names and examples that break the schemas are refused")
    func semanticRules() throws {
        var twoTools = Self.valid
        let tool = try #require(Self.valid["tools"]?[0])
        twoTools = twoTools.replacing(at: try JSONPointer(parsing: "/tools"), with: [tool, tool])
        #expect(Self.problems(try Self.refusal(twoTools))["tools[1].name"] != nil)

        let badExample = try Self.editing("/tools/0/examples/0/input/text", to: 42)
        #expect(Self.problems(try Self.refusal(badExample))["tools[0].examples[0].input"] != nil)

        let badOutput = try Self.editing("/tools/0/examples/0/output/words", to: "two")
        #expect(Self.problems(try Self.refusal(badOutput))["tools[0].examples[0].output"] != nil)
    }

    @Test("a non-builtin runtime needs an entrypoint")
    func entrypointRequired() throws {
        let error = try Self.refusal(try Self.editing("/runtime/entrypoint", to: nil))
        #expect(error.message.contains("entrypoint"), "\(error.message)")
    }

    @Test("the embedded manifest schema is Registry/schema/toolhost.schema.json (run `make embed` if not)")
    func embeddedSchemaMatchesFile() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Registry/schema/toolhost.schema.json")
        let onDisk = try JSONValue(parsing: Data(contentsOf: file))
        #expect(onDisk == ManifestSchema.document, "the embedded manifest schema is stale: run `make embed`")
        #expect(JSONSchema.metaSchema.isValid(ManifestSchema.document))
    }
}

extension JSONValue {
    /// A copy with the value at `pointer` replaced (or removed when `value` is nil); the parent must exist.
    func replacing(at pointer: JSONPointer, with value: JSONValue?) -> JSONValue {
        guard let first = pointer.tokens.first else { return value ?? .null }
        let rest = JSONPointer(Array(pointer.tokens.dropFirst()))
        switch self {
        case .object(var object):
            if rest.tokens.isEmpty {
                object[first] = value
            } else {
                object[first] = (object[first] ?? .object([:])).replacing(at: rest, with: value)
            }
            return .object(object)
        case .array(var array):
            guard let index = Int(first), array.indices.contains(index) else { return self }
            if rest.tokens.isEmpty {
                if let value { array[index] = value } else { array.remove(at: index) }
            } else {
                array[index] = array[index].replacing(at: rest, with: value)
            }
            return .array(array)
        default:
            return self
        }
    }
}
