import Foundation

/// A manifest as read from a file: the typed model and the JSON it came from.
public struct LoadedManifest: Sendable, Hashable {
    public var manifest: PackageManifest
    /// The manifest document as parsed, with what it left out resolved (``ManifestDefaults``), for
    /// storing and showing it.
    public var document: JSONValue
    /// Where it was read from, as given to the loader (a path or a label such as `upload`).
    public var source: String
}

/// Reads `toolhost.json` manifests and reports every problem with the file, the field and what was
/// expected, instead of a decoding trace.
///
/// The checks run in order: JSON syntax (line and column) → the manifest schema (every field) →
/// rules a schema cannot say (unique tool names, compilable tool schemas, examples that fit them).
public enum ManifestLoader {
    /// Reads and checks the manifest at `url`.
    /// - Throws: ``ToolhostError`` `invalid_manifest` naming the file and each bad field, or
    ///   `invalid_input` when the file cannot be read.
    public static func load(contentsOf url: URL, limitDefaults: ToolLimitDefaults? = nil) throws(ToolhostError) -> LoadedManifest {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ToolhostError(.invalidInput, "\(url.path): cannot read the manifest: \(error.localizedDescription)")
        }
        return try load(data: data, source: url.path, limitDefaults: limitDefaults)
    }

    /// Checks a manifest given as bytes; `source` names it in errors. What the manifest leaves
    /// out is filled in (``ManifestDefaults``), limits only when `limitDefaults` are given.
    /// - Throws: ``ToolhostError`` `invalid_manifest` naming `source` and each bad field.
    public static func load(data: Data, source: String, limitDefaults: ToolLimitDefaults? = nil) throws(ToolhostError) -> LoadedManifest {
        var document: JSONValue
        do {
            document = try JSONValue(parsing: data)
        } catch {
            throw ToolhostError(
                .invalidManifest, "\(source):\(error.line):\(error.column): invalid JSON: \(error.message)",
                details: ["file": .string(source), "line": .int(error.line), "column": .int(error.column)]
            )
        }
        try checkAgainstSchema(document, source: source)
        document = ManifestDefaults.resolve(document, limits: limitDefaults)
        let manifest: PackageManifest
        do {
            manifest = try JSONDecoder().decode(PackageManifest.self, from: Data(document.serialized().utf8))
        } catch {
            // The schema admits only decodable documents, so this is the schema and the model disagreeing.
            throw ToolhostError(.internalError, "\(source): the manifest passed its schema but could not be decoded: \(error)")
        }
        let problems = ManifestRules.problems(in: manifest)
        if !problems.isEmpty { throw manifestError(source: source, problems: problems) }
        return LoadedManifest(manifest: manifest, document: document, source: source)
    }

    private static func checkAgainstSchema(_ document: JSONValue, source: String) throws(ToolhostError) {
        let result = ManifestSchema.compiled.validate(document)
        guard !result.isValid else { return }
        let problems = result.errors.map { error in
            ManifestProblem(
                field: ManifestProblem.fieldName(forPointer: error.instanceLocation),
                message: error.message,
                keyword: error.keyword
            )
        }
        throw manifestError(source: source, problems: problems)
    }

    private static func manifestError(source: String, problems: [ManifestProblem]) -> ToolhostError {
        let lines = problems.map { "  \($0.field): \($0.message)" }
        let message = "\(source): invalid manifest (\(problems.count) problem\(problems.count == 1 ? "" : "s")):\n"
            + lines.joined(separator: "\n")
        let details: JSONValue = [
            "file": .string(source),
            "problems": .array(problems.map { ["field": .string($0.field), "message": .string($0.message), "keyword": .string($0.keyword)] }),
        ]
        return ToolhostError(.invalidManifest, message, details: details)
    }
}

/// One thing wrong with a manifest, at a field written as people read it (`tools[0].inputSchema`).
public struct ManifestProblem: Sendable, Hashable {
    public var field: String
    public var message: String
    /// The schema keyword or rule that failed (`required`, `type`, `unique_tool_names`, …).
    public var keyword: String

    /// Turns a JSON Pointer into a field path: `/tools/0/name` → `tools[0].name`; the root is `(root)`.
    public static func fieldName(forPointer pointer: String) -> String {
        guard let parsed = try? JSONPointer(parsing: pointer), !parsed.tokens.isEmpty else { return "(root)" }
        var field = ""
        for token in parsed.tokens {
            if let index = Int(token), index >= 0 {
                field += "[\(index)]"
            } else {
                field += field.isEmpty ? token : ".\(token)"
            }
        }
        return field
    }
}
