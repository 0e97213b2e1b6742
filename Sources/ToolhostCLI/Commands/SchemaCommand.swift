import ArgumentParser
import ToolhostCore

/// `toolhost schema …`: JSON Schema 2020-12 tools.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Work with JSON Schemas (draft 2020-12).",
        subcommands: [ValidateSchema.self]
    )
}

/// `toolhost schema validate`
struct ValidateSchema: ParsableCommand, OutputtingCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check instances against a schema (and the schema against the 2020-12 meta-schema).",
        discussion: "Exit 0 when the schema and every instance are valid; 1 otherwise, with each error's instance and schema locations."
    )

    @Option(help: "The schema file.")
    var schema: String

    @Option(name: .customLong("instance"), help: "An instance file to check (repeatable; - for standard input).")
    var instances: [String] = []

    @Flag(help: "Treat `format` as an assertion (by default it is an annotation, as 2020-12 says).")
    var assertFormat = false

    @OptionGroup var output: OutputOptions

    /// The outcome for one checked document.
    struct Report: Encodable {
        var file: String
        var valid: Bool
        var errors: [ToolhostCore.ValidationError]
    }

    func run() throws {
        let schemaDocument = try JSONFile.read(schema)
        let metaResult = JSONSchema.metaSchema.validate(schemaDocument)
        var reports = [Report(file: schema, valid: metaResult.isValid, errors: metaResult.errors)]
        if metaResult.isValid {
            var options = JSONSchemaOptions()
            options.formatAssertion = assertFormat
            let compiled: JSONSchema
            do {
                compiled = try JSONSchema(schemaDocument, options: options)
            } catch {
                throw ToolhostError(.invalidSchema, "\(schema): not a usable schema at \(error.schemaLocation.isEmpty ? "(root)" : error.schemaLocation): \(error.message)")
            }
            for instance in instances {
                let result = compiled.validate(try JSONFile.read(instance))
                reports.append(Report(file: instance, valid: result.isValid, errors: result.errors))
            }
        }
        try printReports(reports)
        if reports.contains(where: { !$0.valid }) { throw ExitCode(1) }
    }

    private func printReports(_ reports: [Report]) throws {
        if output.json {
            struct Document: Encodable {
                var valid: Bool
                var schema: Report
                var instances: [Report]
            }
            try Console.printJSON(Document(valid: reports.allSatisfy(\.valid), schema: reports[0], instances: Array(reports.dropFirst())))
            return
        }
        for (index, report) in reports.enumerated() {
            let what = index == 0 ? "schema" : "instance"
            guard !report.valid else {
                Console.print("\(report.file): valid \(what)")
                continue
            }
            let count = report.errors.count
            Console.print("\(report.file): invalid \(what) (\(count) error\(count == 1 ? "" : "s"))")
            for error in report.errors {
                let at = error.instanceLocation.isEmpty ? "(root)" : error.instanceLocation
                let keyword = error.keywordLocation.isEmpty ? error.keyword : error.keywordLocation
                Console.print("  at \(at): \(error.message)  [schema \(keyword)]")
            }
        }
    }
}
