import Foundation
import Testing
import ToolhostCore

@Suite("toolhost schema validate")
struct SchemaCommandTests {
    static let schema = """
        {"type": "object", "required": ["name"],
         "properties": {"name": {"type": "string"}, "tags": {"type": "array", "items": {"type": "string", "maxLength": 3}}}}
        """

    @Test("a valid instance exits 0")
    func validInstance() async throws {
        let cli = try CLIRunner()
        defer { cli.removeAll() }
        let result = try await cli.run(["schema", "validate", "--schema", try cli.file("s.json", Self.schema),
                                  "--instance", try cli.file("i.json", #"{"name": "x", "tags": ["a"]}"#)])
        #expect(result.exitCode == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("i.json: valid instance"))
    }

    @Test("an invalid instance exits 1 and names each error's instance and schema locations")
    func invalidInstance() async throws {
        let cli = try CLIRunner()
        defer { cli.removeAll() }
        let arguments = ["schema", "validate", "--schema", try cli.file("s.json", Self.schema),
                         "--instance", try cli.file("i.json", #"{"tags": ["a", "long", 3]}"#)]
        let text = try await cli.run(arguments)
        #expect(text.exitCode == 1)
        #expect(text.stdout.contains("/tags/1"))
        #expect(text.stdout.contains("/tags/2"))
        #expect(text.stdout.contains("name"))
        let json = try await cli.run(arguments + ["--json"])
        #expect(json.exitCode == 1)
        let errors = try #require(try json.json()["instances"]?[0]?["errors"]?.arrayValue)
        let locations = Set(errors.compactMap { $0["instanceLocation"]?.stringValue })
        #expect(locations.isSuperset(of: ["", "/tags/1", "/tags/2"]))
        let keywords = Set(errors.compactMap { $0["keywordLocation"]?.stringValue })
        #expect(keywords.contains("/properties/tags/items/maxLength"))
        #expect(keywords.contains("/required"))
    }

    @Test("malformed JSON exits 1 and points at the file, line and column")
    func malformedJSON() async throws {
        let cli = try CLIRunner()
        defer { cli.removeAll() }
        let result = try await cli.run(["schema", "validate", "--schema", try cli.file("s.json", Self.schema),
                                  "--instance", try cli.file("bad.json", "{\n  \"name\": \"x\",\n  \"tags\": [1,, 2]\n}")])
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("bad.json:3:"), "\(result.stderr)")
    }

    @Test("a schema that breaks the 2020-12 meta-schema exits 1 and says where")
    func invalidSchema() async throws {
        let cli = try CLIRunner()
        defer { cli.removeAll() }
        let result = try await cli.run(["schema", "validate", "--schema", try cli.file("s.json", #"{"type": "strnig", "minLength": -1}"#)])
        #expect(result.exitCode == 1)
        #expect(result.stdout.contains("s.json: invalid schema"))
        #expect(result.stdout.contains("/type"))
        #expect(result.stdout.contains("/minLength"))
    }

    @Test("a missing file exits 1 and names it; a missing --schema is a usage error (2)")
    func missingFiles() async throws {
        let cli = try CLIRunner()
        defer { cli.removeAll() }
        let missing = try await cli.run(["schema", "validate", "--schema", "nope.json"])
        #expect(missing.exitCode == 1)
        #expect(missing.stderr.contains("nope.json"))
        #expect(try await cli.run(["schema", "validate"]).exitCode == 2)
    }

    @Test("`-` reads the instance from standard input")
    func standardInput() async throws {
        let cli = try CLIRunner()
        defer { cli.removeAll() }
        let result = try await cli.run(["schema", "validate", "--schema", try cli.file("s.json", Self.schema), "--instance", "-"],
                                 stdin: #"{"name": 1}"#)
        #expect(result.exitCode == 1)
        #expect(result.stdout.contains("/name"))
    }
}
