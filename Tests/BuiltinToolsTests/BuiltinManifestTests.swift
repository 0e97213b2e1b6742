import BuiltinTools
import Foundation
import Testing
import ToolhostCore

@Suite("The built-in tools' manifests")
struct BuiltinManifestTests {
    /// The 24 built-ins and their privilege levels, as the design lists them.
    static let expectedLevels: [String: PrivilegeLevel] = [
        "json_query": .readOnly, "jsonschema_validate": .readOnly, "regex": .readOnly, "hash_digest": .readOnly,
        "encode_decode": .readOnly, "text_diff": .readOnly, "template_render": .readOnly, "datetime_convert": .readOnly,
        "web_fetch": .readOnly, "web_search": .readOnly, "csv_query": .readOnly, "pdf_extract_text": .readOnly,
        "sqlite_query": .readOnly, "file_read": .readOnly, "file_search": .readOnly,
        "file_write": .executeSafe, "archive": .executeSafe, "python_exec": .executeSafe, "shell_exec": .executeSafe,
        "js_exec": .executeSafe, "sqlite_execute": .executeSafe,
        "http_request": .executeRisky, "email_send": .executeRisky, "slack_post": .executeRisky,
    ]

    static var toolsDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Tools")
    }

    @Test("Tools/ holds exactly the 24 built-ins, each at its design privilege level")
    func theTwentyFourBuiltins() throws {
        let manifests = try BuiltinManifests.load(from: Self.toolsDirectory)
        let levels = Dictionary(uniqueKeysWithValues: manifests.map { ($0.manifest.tools[0].name, $0.manifest.tools[0].privilegeLevel) })
        #expect(levels == Self.expectedLevels)
    }

    @Test("every input and output schema is a valid 2020-12 schema with an object root")
    func schemasAreValid() throws {
        for loaded in try BuiltinManifests.load(from: Self.toolsDirectory) {
            let tool = loaded.manifest.tools[0]
            for (label, schema) in [("inputSchema", tool.inputSchema), ("outputSchema", tool.outputSchema)] {
                let result = JSONSchema.metaSchema.validate(schema)
                #expect(result.isValid, "\(tool.name).\(label): \(result.errors)")
                #expect(schema["type"] == "object", "\(tool.name).\(label) must describe an object")
            }
        }
    }

    @Test("every example's input fits the input schema and every exact output fits the output schema")
    func examplesFitSchemas() throws {
        for loaded in try BuiltinManifests.load(from: Self.toolsDirectory) {
            let tool = loaded.manifest.tools[0]
            let input = try JSONSchema(tool.inputSchema)
            let output = try JSONSchema(tool.outputSchema)
            #expect(!(tool.examples ?? []).isEmpty, "\(tool.name) has no example")
            for written in tool.examples ?? [] {
                let example = written.resolvingPlaceholders(fixtureURL: "http://127.0.0.1:9")
                #expect(input.isValid(example.input), "\(tool.name) example \(example.name): input")
                if (example.match ?? .exact) == .exact {
                    #expect(output.isValid(example.output), "\(tool.name) example \(example.name): output")
                }
            }
        }
    }

    @Test("annotations agree with privilege: level-1 tools are read-only, level-3 tools reach the open world")
    func annotationsAgreeWithPrivilege() throws {
        for loaded in try BuiltinManifests.load(from: Self.toolsDirectory) {
            let tool = loaded.manifest.tools[0]
            if tool.privilegeLevel == .readOnly { #expect(tool.annotations.isReadOnly, "\(tool.name)") }
            if tool.privilegeLevel >= .executeSafe { #expect(!tool.annotations.isReadOnly, "\(tool.name)") }
            if tool.privilegeLevel == .executeRisky {
                #expect(tool.annotations.isOpenWorld, "\(tool.name)")
                let egress = tool.permissions?.network?.egress ?? []
                #expect(!egress.isEmpty, "\(tool.name) must declare its egress")
            }
        }
    }

    @Test("a built-in folder whose manifest names another tool is refused with the file and field")
    func misnamedBuiltin() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("toolhost-tools-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let folder = directory.appendingPathComponent("hash_digest")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var manifest = try JSONValue(parsing: Data(contentsOf: Self.toolsDirectory.appendingPathComponent("regex/toolhost.json")))
        if case .object(var object) = manifest { object["description"] = "moved"; manifest = .object(object) }
        try Data(manifest.serialized().utf8).write(to: folder.appendingPathComponent("toolhost.json"))
        do {
            _ = try BuiltinManifests.load(from: directory)
            Issue.record("a misnamed built-in was accepted")
        } catch {
            #expect(error.code == .invalidManifest)
            #expect(error.message.contains("hash_digest/toolhost.json"))
            #expect(error.message.contains("name: expected \"toolhost/hash_digest\""))
        }
    }
}
