import BuiltinTools
import Foundation
import Testing
import ToolhostCore

@Suite("jsonschema_validate checks instances against draft 2020-12 schemas")
struct JSONSchemaValidateTests {
    static func run(_ input: JSONValue) async throws(ToolFailure) -> JSONValue {
        try await ToolRun.output(of: JSONSchemaValidateTool(), input)
    }

    static func failure(_ input: JSONValue) async -> ToolFailure? {
        await ToolRun.failure(of: JSONSchemaValidateTool(), input)
    }

    /// The (instanceLocation, keywordLocation) pairs of a result's errors, in order.
    static func locations(_ output: JSONValue) -> [String] {
        (output["errors"]?.arrayValue ?? []).map { "\($0["instanceLocation"]?.stringValue ?? "?") \($0["keywordLocation"]?.stringValue ?? "?")" }
    }

    @Test("every manifest example holds")
    func examples() async throws {
        let failures = try await ExampleHarness().failures(of: "jsonschema_validate")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    @Test("failures carry instance and keyword locations as JSON Pointers, ordered by instance location")
    func locationsAndOrder() async throws {
        let schema: JSONValue = [
            "type": "object", "required": ["name"],
            "properties": ["name": ["type": "string", "minLength": 1], "age": ["type": "integer", "minimum": 0]],
            "additionalProperties": false,
        ]
        let output = try await Self.run(["schema": schema, "instance": ["age": -1, "x~/y": true]])
        #expect(output["valid"] == false)
        #expect(output["errorCount"] == 3)
        #expect(Self.locations(output) == [" /additionalProperties", " /required", "/age /properties/age/minimum"])
        for error in output["errors"]?.arrayValue ?? [] {
            #expect(error["absoluteKeywordLocation"] == nil, "no $ref, no $id: \(error)")
            #expect(error["message"]?.stringValue?.isEmpty == false)
        }
    }

    @Test("instance locations sort by code point, so /10 comes before /2; maxErrors cuts the list but not the count")
    func maxErrors() async throws {
        let instance = JSONValue.array((0..<12).map { .int($0) })
        let output = try await Self.run(["schema": ["items": ["type": "string"]], "instance": instance, "maxErrors": 4])
        #expect(output["errorCount"] == 12)
        #expect(Self.locations(output) == ["/0 /items/type", "/1 /items/type", "/10 /items/type", "/11 /items/type"])
    }

    @Test("an anyOf that matches nothing reports its branches' failures, not itself")
    func leafFailuresOnly() async throws {
        let schema: JSONValue = ["anyOf": [["type": "string"], ["type": "integer", "minimum": 5]]]
        let output = try await Self.run(["schema": schema, "instance": 1])
        #expect(output["errorCount"] == 2)
        #expect(Self.locations(output) == [" /anyOf/0/type", " /anyOf/1/minimum"])
        let both = try await Self.run(["schema": ["oneOf": [["type": "integer"], ["minimum": 0]]], "instance": 1])
        #expect(Self.locations(both) == [" /oneOf"], "matching both branches is oneOf's own failure")
    }

    @Test("a failure reached through $ref has the evaluation path and the absolute location of the keyword")
    func references() async throws {
        let schema: JSONValue = [
            "$defs": ["natural": ["type": "integer", "minimum": 0]],
            "properties": ["n": ["$ref": "#/$defs/natural"]],
        ]
        let output = try await Self.run(["schema": schema, "instance": ["n": -1]])
        let error = output["errors"]?[0]
        #expect(error?["instanceLocation"] == "/n")
        #expect(error?["keywordLocation"] == "/properties/n/$ref/minimum")
        #expect(error?["absoluteKeywordLocation"] == "urn:toolhost:schema#/$defs/natural/minimum")

        var withID = schema.objectValue ?? [:]
        withID["$id"] = "https://example.com/number.json"
        let identified = try await Self.run(["schema": .object(withID), "instance": ["n": -1]])
        #expect(identified["errors"]?[0]?["absoluteKeywordLocation"] == "https://example.com/number.json#/$defs/natural/minimum")
    }

    @Test("boolean schemas, format as annotation, and the 2020-12 meta-schema as a $ref target")
    func specialSchemas() async throws {
        #expect(try await Self.run(["schema": true, "instance": ["a": [1, nil]]])["valid"] == true)
        #expect(try await Self.run(["schema": ["format": "email"], "instance": "not an address"])["valid"] == true)
        let meta: JSONValue = ["$ref": "https://json-schema.org/draft/2020-12/schema"]
        #expect(try await Self.run(["schema": meta, "instance": ["type": "object"]])["valid"] == true)
        #expect(try await Self.run(["schema": meta, "instance": ["type": 5]])["valid"] == false)
        #expect(try await Self.run(["schema": ["type": "null"], "instance": nil])["valid"] == true)
    }

    @Test("an invalid schema is an error naming the schema, not an invalid instance")
    func invalidSchemas() async {
        let schemas: [JSONValue] = [
            ["type": "strng"],
            ["minimum": "zero"],
            ["required": "name"],
            ["pattern": "(unclosed"],
            ["$ref": "#/$defs/missing"],
            ["$ref": "https://example.com/remote.json"],
        ]
        for schema in schemas {
            let failure = await Self.failure(["schema": schema, "instance": 1])
            #expect(failure?.kind == .invalidArgument, "\(schema)")
            #expect(failure?.message.hasPrefix("schema") == true, "\(schema): \(String(describing: failure))")
        }
    }
}

extension JSONSchemaValidateTests {
    @Test("a false subschema reached through $ref has an absolute location that ends in its keyword")
    func falseSubschemaThroughReference() async throws {
        let schema: JSONValue = [
            "$id": "https://example.com/closed.json",
            "$defs": ["closed": ["properties": ["a": true, "b": false], "additionalProperties": false]],
            "$ref": "#/$defs/closed",
        ]
        let output = try await Self.run(["schema": schema, "instance": ["b": 1, "c": 2]])
        let errors = output["errors"]?.arrayValue ?? []
        #expect(errors.map { $0["keywordLocation"] } == ["/$ref/additionalProperties", "/$ref/properties/b"])
        #expect(errors.map { $0["absoluteKeywordLocation"] } == [
            "https://example.com/closed.json#/$defs/closed/additionalProperties",
            "https://example.com/closed.json#/$defs/closed/properties/b",
        ])
    }
}
