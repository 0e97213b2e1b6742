import Foundation
import Testing
import ToolhostCore

@Suite("JSONSchema")
struct JSONSchemaTests {
    /// A tool manifest schema of the kind the host validates on every call.
    static let manifestSchema: JSONValue = [
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "required": ["tools"],
        "properties": [
            "tools": ["type": "array", "items": ["$ref": "#/$defs/tool"]]
        ],
        "$defs": [
            "tool": [
                "type": "object",
                "required": ["name"],
                "additionalProperties": false,
                "properties": [
                    "name": ["type": "string", "pattern": "^[a-z]+$"],
                    "timeout": ["type": "integer", "minimum": 1],
                    "args": ["type": "array", "items": ["type": "string"], "maxItems": 2],
                ],
            ]
        ],
    ]

    @Test("a missing property is reported at the object, naming the property")
    func requiredError() throws {
        let schema = try JSONSchema(Self.manifestSchema)
        let result = schema.validate(["tools": [["timeout": 5]]])
        #expect(!result.isValid)
        let error = try #require(result.errors.first)
        #expect(error.keyword == "required")
        #expect(error.instanceLocation == "/tools/0")
        #expect(error.keywordLocation == "/properties/tools/items/$ref/required")
        #expect(error.message == "missing required property \"name\"")
        #expect(result.errors.count == 1)
    }

    @Test("nested failures carry instance and keyword locations through $ref")
    func nestedLocations() throws {
        let schema = try JSONSchema(Self.manifestSchema, baseURI: "https://toolhost.example/manifest.json")
        let result = schema.validate(["tools": [["name": "ls"], ["name": "Grep", "timeout": "5", "extra": 1]]])
        let byKeyword = Dictionary(grouping: result.errors, by: \.keyword)
        let pattern = try #require(byKeyword["pattern"]?.first)
        #expect(pattern.instanceLocation == "/tools/1/name")
        #expect(pattern.keywordLocation == "/properties/tools/items/$ref/properties/name/pattern")
        #expect(pattern.absoluteKeywordLocation == "https://toolhost.example/manifest.json#/$defs/tool/properties/name/pattern")
        #expect(pattern.message == "string does not match pattern ^[a-z]+$")
        let type = try #require(byKeyword["type"]?.first)
        #expect(type.instanceLocation == "/tools/1/timeout")
        #expect(type.message == "expected integer, got string")
        let additional = try #require(byKeyword["additionalProperties"]?.first)
        #expect(additional.instanceLocation == "/tools/1")
        #expect(additional.message == "unexpected property \"extra\"")
        #expect(result.errors.count == 3)
    }

    @Test("isValid and validate agree, and valid instances have no errors")
    func fastPathAgrees() throws {
        let schema = try JSONSchema(Self.manifestSchema)
        let good: JSONValue = ["tools": [["name": "ls", "timeout": 3, "args": ["-l"]]]]
        #expect(schema.isValid(good))
        #expect(schema.validate(good).errors.isEmpty)
        let bad: JSONValue = ["tools": [["name": "ls", "args": ["a", "b", "c"]]]]
        #expect(!schema.isValid(bad))
        #expect(schema.validate(bad).errors.map(\.keyword) == ["maxItems"])
    }

    @Test("1 and 1.0 are the same value for const, enum and uniqueItems")
    func numericEqualityInKeywords() throws {
        #expect(try JSONSchema(["const": 1]).isValid(.double(1.0)))
        #expect(try JSONSchema(["enum": [1.0, "a"]]).isValid(1))
        #expect(try !JSONSchema(["uniqueItems": true]).isValid([1, 1.0]))
        #expect(try JSONSchema(["type": "integer"]).isValid(.double(3.0)))
    }

    @Test("anyOf reports a summary followed by each branch's reason")
    func anyOfErrors() throws {
        let schema = try JSONSchema(["anyOf": [["type": "string"], ["type": "null"]]])
        let errors = schema.validate(5).errors
        #expect(errors.map(\.keyword) == ["anyOf", "type", "type"])
        #expect(errors[0].message == "value does not match any of the 2 anyOf schemas")
        #expect(errors[1].keywordLocation == "/anyOf/0/type")
        #expect(errors[2].message == "expected null, got integer")
    }

    @Test("oneOf with two matches says which ones")
    func oneOfErrors() throws {
        let schema = try JSONSchema(["oneOf": [["type": "integer"], ["minimum": 0]]])
        let errors = schema.validate(3).errors
        #expect(errors.count == 1)
        #expect(errors[0].message.contains("more than one"))
    }

    @Test("unevaluatedProperties names the property nobody declared")
    func unevaluatedProperties() throws {
        let schema = try JSONSchema([
            "allOf": [["properties": ["a": true]]],
            "unevaluatedProperties": false,
        ])
        #expect(schema.isValid(["a": 1]))
        let errors = schema.validate(["a": 1, "b": 2]).errors
        #expect(errors.map(\.message) == ["unexpected property \"b\""])
        #expect(errors[0].instanceLocation == "")
    }

    @Test("minLength counts code points, not UTF-16 units or graphemes")
    func lengthCountsCodePoints() throws {
        let schema = try JSONSchema(["maxLength": 2, "minLength": 2])
        #expect(schema.isValid("💩💩"))
        #expect(schema.isValid("e\u{301}"))
        #expect(!schema.isValid("💩"))
    }

    @Test("a bad regex fails compilation and names its location")
    func invalidRegex() {
        do {
            _ = try JSONSchema(["properties": ["name": ["pattern": "^(abc"]]])
            Issue.record("expected a compile error")
        } catch {
            #expect(error.code == "invalid_regex")
            #expect(error.schemaLocation == "#/properties/name/pattern")
            #expect(error.message.contains("^(abc"))
        }
    }

    @Test("an unresolvable $ref fails compilation and names the reference")
    func unresolvableReference() {
        do {
            _ = try JSONSchema(["items": ["$ref": "#/$defs/missing"]], baseURI: "https://toolhost.example/s.json")
            Issue.record("expected a compile error")
        } catch {
            #expect(error.code == "unresolvable_ref")
            #expect(error.schemaLocation == "https://toolhost.example/s.json#/items/$ref")
            #expect(error.message.contains("#/$defs/missing"))
        }
        #expect(throws: SchemaCompileError.self) { try JSONSchema(["$ref": "https://elsewhere.example/other.json"]) }
    }

    @Test("malformed keywords are compile errors")
    func malformedKeywords() {
        #expect(throws: SchemaCompileError.self) { try JSONSchema(["type": "strin"]) }
        #expect(throws: SchemaCompileError.self) { try JSONSchema(["minLength": -1]) }
        #expect(throws: SchemaCompileError.self) { try JSONSchema(["required": "name"]) }
        #expect(throws: SchemaCompileError.self) { try JSONSchema(["properties": ["a": 5]]) }
        #expect(throws: SchemaCompileError.self) { try JSONSchema(5) }
    }

    @Test("a registry resolves references to other documents")
    func registryReferences() throws {
        var registry = SchemaRegistry.standard
        try registry.add(["$defs": ["name": ["type": "string", "minLength": 1]]], retrievalURI: "https://toolhost.example/common.json")
        let schema = try JSONSchema(
            ["properties": ["name": ["$ref": "common.json#/$defs/name"]]],
            baseURI: "https://toolhost.example/tool.json",
            registry: registry
        )
        #expect(schema.isValid(["name": "x"]))
        let error = try #require(schema.validate(["name": ""]).errors.first)
        #expect(error.keywordLocation == "/properties/name/$ref/minLength")
        #expect(error.absoluteKeywordLocation == "https://toolhost.example/common.json#/$defs/name/minLength")
    }

    @Test("recursive schemas validate deep trees and an infinite $ref loop fails instead of crashing")
    func recursion() throws {
        let tree = try JSONSchema(["type": "object", "properties": ["children": ["type": "array", "items": ["$ref": "#"]]]])
        var deep: JSONValue = [:]
        // As deep as the parser allows documents to be, to show the evaluator's stack holds out.
        for _ in 0..<450 { deep = ["children": [deep]] }
        let deepIsValid = tree.isValid(deep)
        #expect(deepIsValid)
        let loop = try JSONSchema(["$defs": ["a": ["$ref": "#/$defs/b"], "b": ["$ref": "#/$defs/a"]], "$ref": "#/$defs/a"])
        #expect(!loop.isValid(1))
        #expect(loop.validate(1).errors.first?.message.contains("recursion") == true)
    }

    @Test("formats are annotations by default and assertions when asked")
    func formatAssertion() throws {
        #expect(try JSONSchema(["format": "date-time"]).isValid("yesterday"))
        var options = JSONSchemaOptions()
        options.formatAssertion = true
        let strict = try JSONSchema(["format": "date-time"], options: options)
        #expect(!strict.isValid("yesterday"))
        #expect(strict.isValid("2024-02-29T12:00:00Z"))
        #expect(strict.validate("2023-02-29T12:00:00Z").errors.first?.message == "\"2023-02-29T12:00:00Z\" is not a valid date-time")
    }

    @Test("the meta-schema accepts valid schemas and rejects invalid ones")
    func metaSchema() {
        #expect(JSONSchema.metaSchema.isValid(Self.manifestSchema))
        let result = JSONSchema.metaSchema.validate(["type": "strin", "minLength": -1])
        #expect(!result.isValid)
        #expect(result.errors.contains { $0.instanceLocation == "/minLength" })
    }

    @Test("older drafts named in $schema keep their own items and exclusiveMinimum rules")
    func legacyDrafts() throws {
        let draft4 = try JSONSchema([
            "$schema": "http://json-schema.org/draft-04/schema#", "minimum": 5, "exclusiveMinimum": true,
        ])
        #expect(!draft4.isValid(5))
        #expect(draft4.isValid(6))
        let draft7 = try JSONSchema([
            "$schema": "http://json-schema.org/draft-07/schema#", "items": [["type": "string"]], "additionalItems": false,
        ])
        #expect(draft7.isValid(["a"]))
        #expect(!draft7.isValid(["a", "b"]))
        #expect(!draft7.isValid([1]))
    }

    @Test("one compiled schema serves concurrent validations")
    func concurrentValidation() async throws {
        let schema = try JSONSchema(Self.manifestSchema)
        let results = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<64 {
                group.addTask {
                    let name: JSONValue = index % 2 == 0 ? "grep" : "Grep"
                    return schema.isValid(["tools": [["name": name]]]) == (index % 2 == 0)
                }
            }
            var all: [Bool] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 64 && results.allSatisfy { $0 })
    }

    @Test("validating a typical tool input takes microseconds")
    func validationIsFast() throws {
        var properties: [String: JSONValue] = [:]
        var instance: [String: JSONValue] = [:]
        for index in 0..<20 {
            properties["field\(index)"] = index % 2 == 0 ? ["type": "string", "maxLength": 100] : ["type": "integer", "minimum": 0]
            instance["field\(index)"] = index % 2 == 0 ? .string("value \(index)") : .int(index)
        }
        let schema = try JSONSchema(["type": "object", "properties": .object(properties), "required": ["field0"], "additionalProperties": false])
        let value = JSONValue.object(instance)
        let iterations = 2_000
        let start = ContinuousClock.now
        for _ in 0..<iterations { precondition(schema.isValid(value)) }
        let perCall = (ContinuousClock.now - start) / iterations
        print("isValid on a 20-property object: \(perCall) per call")
        // Generous bound so debug builds on a busy machine pass; release builds take a few microseconds.
        #expect(perCall < .milliseconds(1))
    }
}
