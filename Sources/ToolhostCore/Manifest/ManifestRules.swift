/// The rules of a manifest that its JSON Schema cannot express.
enum ManifestRules {
    /// Every broken rule in `manifest`, in field order; empty when the manifest is sound.
    static func problems(in manifest: PackageManifest) -> [ManifestProblem] {
        var problems: [ManifestProblem] = []
        if manifest.runtime.type != .builtin, manifest.runtime.entrypoint == nil {
            problems.append(.init(field: "runtime.entrypoint", message: "required for the \(manifest.runtime.type.rawValue) runtime", keyword: "required"))
        }
        var seen: Set<String> = []
        for (index, tool) in manifest.tools.enumerated() {
            let field = "tools[\(index)]"
            if !seen.insert(tool.name).inserted {
                problems.append(.init(field: "\(field).name", message: "duplicate tool name \"\(tool.name)\"", keyword: "unique_tool_names"))
            }
            if tool.annotations.isReadOnly, tool.permissions?.filesystem?.write == true {
                problems.append(.init(
                    field: "\(field).annotations.readOnlyHint",
                    message: "a read-only tool cannot declare permissions.filesystem.write",
                    keyword: "consistent_annotations"))
            }
            var exampleNames: Set<String> = []
            for (exampleIndex, example) in (tool.examples ?? []).enumerated() where !exampleNames.insert(example.name).inserted {
                problems.append(.init(field: "\(field).examples[\(exampleIndex)].name", message: "duplicate example name \"\(example.name)\"", keyword: "unique_example_names"))
            }
            problems += schemaProblems(tool, field: field)
        }
        return problems
    }

    /// Compiles the tool's schemas (catching bad regexes and dangling `$ref`s that the meta-schema
    /// cannot see) and checks that each example fits them.
    private static func schemaProblems(_ tool: ToolDefinition, field: String) -> [ManifestProblem] {
        var problems: [ManifestProblem] = []
        let input = compile(tool.inputSchema, field: "\(field).inputSchema", into: &problems)
        let output = compile(tool.outputSchema, field: "\(field).outputSchema", into: &problems)
        for (index, written) in (tool.examples ?? []).enumerated() {
            let example = written.resolvingPlaceholders(fixtureURL: ToolExample.placeholderFixtureURL)
            let exampleField = "\(field).examples[\(index)]"
            if let input {
                problems += validationProblems(input.validate(example.input), field: "\(exampleField).input", against: "inputSchema")
            }
            // A subset example leaves out the variable parts on purpose, so only whole outputs are checked.
            if let output, (example.match ?? .exact) == .exact {
                problems += validationProblems(output.validate(example.output), field: "\(exampleField).output", against: "outputSchema")
            }
        }
        return problems
    }

    private static func compile(_ schema: JSONValue, field: String, into problems: inout [ManifestProblem]) -> JSONSchema? {
        do {
            return try JSONSchema(schema)
        } catch {
            let location = error.schemaLocation.isEmpty ? "" : " at \(error.schemaLocation)"
            problems.append(.init(field: field, message: "not a usable JSON Schema\(location): \(error.message)", keyword: error.code))
            return nil
        }
    }

    private static func validationProblems(_ result: ValidationResult, field: String, against schemaName: String) -> [ManifestProblem] {
        result.errors.map { error in
            let location = error.instanceLocation.isEmpty ? "" : " at \(error.instanceLocation)"
            return ManifestProblem(
                field: field,
                message: "does not match the tool's \(schemaName)\(location): \(error.message)",
                keyword: error.keyword)
        }
    }
}
