import Foundation
import Registry
import Testing
import ToolhostCore

@Suite("Breaking changes between versions")
struct BreakingChangesTests {
    let count = ToolJSON()
    let other = ToolJSON(name: "other")

    private func refusal(from old: PackageManifest, to new: PackageManifest) -> PublishError? {
        PublishingFixture.refusal { try BreakingChanges.check(new, previous: old) }
    }

    @Test("a first version has nothing to break")
    func firstVersion() throws {
        try BreakingChanges.check(try ToolJSON.package([count]), previous: nil)
    }

    @Test("removing a tool in a minor release is refused, naming the tool and the version it needs")
    func removedTool() throws {
        let old = try ToolJSON.package(version: "1.2.0", [count, other])
        let error = refusal(from: old, to: try ToolJSON.package(version: "1.3.0", [count]))
        #expect(error?.code == .breakingChange)
        #expect(error?.message.contains("tool \"other\" was removed") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("needs version 2.0.0 or higher") == true, "\(error?.message ?? "")")
        #expect(error?.details?["requiredVersion"] == "2.0.0")
        #expect(error?.details?["changes"]?[0]?["kind"] == "tool_removed")
    }

    @Test("the same change in a new major version is accepted")
    func majorBump() throws {
        let old = try ToolJSON.package(version: "1.2.0", [count, other])
        try BreakingChanges.check(try ToolJSON.package(version: "2.0.0", [count]), previous: old)
        try BreakingChanges.check(try ToolJSON.package(version: "2.0.0-rc.1", [count]), previous: old)
    }

    @Test("a new required input is breaking; a new optional one is not")
    func requiredInputs() throws {
        let old = try ToolJSON.package([count])
        let optional = count.with {
            $0.inputSchema = ["type": "object", "properties": ["text": ["type": "string"], "lang": ["type": "string"]], "required": ["text"]]
        }
        #expect(BreakingChanges.changes(from: old, to: try ToolJSON.package(version: "1.1.0", [optional])).isEmpty)
        let required = count.with {
            $0.inputSchema = [
                "type": "object", "properties": ["text": ["type": "string"], "lang": ["type": "string"]], "required": ["text", "lang"],
            ]
        }
        let changes = BreakingChanges.changes(from: old, to: try ToolJSON.package(version: "1.1.0", [required]))
        #expect(changes.map(\.kind) == [.requiredInputAdded])
        #expect(changes.first?.property == "lang")
    }

    @Test(
        "an input type that narrows is breaking; one that widens is not",
        arguments: [
            (#"{"type": "number"}"#, #"{"type": "integer"}"#, true),
            (#"{"type": ["string", "null"]}"#, #"{"type": "string"}"#, true),
            (#"{}"#, #"{"type": "string"}"#, true),
            (#"{"type": "integer"}"#, #"{"type": "number"}"#, false),
            (#"{"type": "string"}"#, #"{"type": ["string", "null"]}"#, false),
            (#"{"type": "string"}"#, #"{}"#, false),
            (##"{"$ref": "#/$defs/x"}"##, #"{"type": "string"}"#, false),
        ])
    func narrowing(old oldText: String, new newText: String, breaks: Bool) throws {
        func tool(_ property: String) throws -> ToolJSON {
            let schema = try JSONValue(parsing: property)
            return count.with { $0.inputSchema = ["type": "object", "properties": ["value": schema], "$defs": ["x": ["type": "string"]]] }
        }
        let changes = BreakingChanges.changes(
            from: try ToolJSON.package([try tool(oldText)]), to: try ToolJSON.package(version: "1.1.0", [try tool(newText)]))
        #expect(changes.map(\.kind) == (breaks ? [.inputTypeNarrowed] : []), "\(changes)")
    }

    @Test("an input property removed from a closed schema is breaking; from an open one it is not")
    func removedInput() throws {
        let old = try ToolJSON.package([
            count.with { $0.inputSchema = ["type": "object", "properties": ["text": ["type": "string"], "lang": ["type": "string"]]] }
        ])
        let open = count.with { $0.inputSchema = ["type": "object", "properties": ["text": ["type": "string"]]] }
        let closed = count.with { $0.inputSchema = ["type": "object", "properties": ["text": ["type": "string"]], "additionalProperties": false] }
        #expect(BreakingChanges.changes(from: old, to: try ToolJSON.package(version: "1.1.0", [open])).isEmpty)
        #expect(BreakingChanges.changes(from: old, to: try ToolJSON.package(version: "1.1.0", [closed])).map(\.kind) == [.inputPropertyRemoved])
    }

    @Test("a removed output property is breaking; an added one is not")
    func outputs() throws {
        let old = try ToolJSON.package([count])
        let added = count.with { $0.outputSchema = ["type": "object", "properties": ["words": ["type": "integer"], "lines": ["type": "integer"]]] }
        #expect(BreakingChanges.changes(from: old, to: try ToolJSON.package(version: "1.1.0", [added])).isEmpty)
        let removed = count.with { $0.outputSchema = ["type": "object", "properties": ["lines": ["type": "integer"]]] }
        let error = refusal(from: old, to: try ToolJSON.package(version: "1.1.0", [removed]))
        #expect(error?.message.contains("output property \"words\" was removed") == true, "\(error?.message ?? "")")
    }

    @Test("a raised privilege level is breaking; a lowered one is not")
    func privilege() throws {
        let low = try ToolJSON.package([count])
        let high = try ToolJSON.package(
            version: "1.1.0",
            [
                count.with {
                    $0.privilegeLevel = 2
                    $0.readOnlyHint = false
                }
            ])
        #expect(BreakingChanges.changes(from: low, to: high).map(\.kind) == [.privilegeRaised])
        #expect(BreakingChanges.changes(from: high, to: try ToolJSON.package(version: "1.2.0", [count])).isEmpty)
    }

    @Test("in 0.x a minor release may break and a patch release may not")
    func zeroMajor() throws {
        let old = try ToolJSON.package(version: "0.3.1", [count, other])
        let error = refusal(from: old, to: try ToolJSON.package(version: "0.3.2", [count]))
        #expect(error?.details?["requiredVersion"] == "0.4.0")
        try BreakingChanges.check(try ToolJSON.package(version: "0.4.0", [count]), previous: old)
        try BreakingChanges.check(try ToolJSON.package(version: "1.0.0", [count]), previous: old)
    }

    @Test("a prerelease of the next minor may not break either")
    func prereleaseOfMinor() throws {
        let old = try ToolJSON.package(version: "1.3.0", [count, other])
        #expect(refusal(from: old, to: try ToolJSON.package(version: "1.4.0-beta.1", [count]))?.code == .breakingChange)
    }

    @Test("every change is listed")
    func everyChange() throws {
        let old = try ToolJSON.package([count, other])
        let new = try ToolJSON.package(
            version: "1.0.1",
            [
                count.with {
                    $0.privilegeLevel = 2
                    $0.readOnlyHint = false
                    $0.outputSchema = ["type": "object"]
                }
            ])
        let error = refusal(from: old, to: new)
        #expect(error?.message.contains("3 breaking changes") == true, "\(error?.message ?? "")")
        #expect(error?.details?["changes"]?.arrayValue?.count == 3)
    }

    @Test("the baseline is the highest release below the new version")
    func baseline() throws {
        let existing = try ["1.0.0", "1.4.0", "1.5.0-beta.1", "2.0.0"].map { try SemanticVersion(parsing: $0) }
        #expect(BreakingChanges.baseline(for: try SemanticVersion(parsing: "1.4.1"), among: existing)?.description == "1.4.0")
        #expect(BreakingChanges.baseline(for: try SemanticVersion(parsing: "1.5.0"), among: existing)?.description == "1.4.0")
        #expect(BreakingChanges.baseline(for: try SemanticVersion(parsing: "3.0.0"), among: existing)?.description == "2.0.0")
        #expect(BreakingChanges.baseline(for: try SemanticVersion(parsing: "0.9.0"), among: existing) == nil)
    }
}
