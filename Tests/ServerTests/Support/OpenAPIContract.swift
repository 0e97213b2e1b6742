import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import ToolhostCore

/// What `/openapi.json` promises, checked against live responses with our own JSON Schema validator.
///
/// The document is registered as a schema document, so that the `#/components/schemas/…` references
/// of a response schema resolve into it; each check compiles the documented schema of one
/// operation and status.
final class OpenAPIContract: @unchecked Sendable {
    static let documentURI = "https://toolhost.invalid/openapi.json"
    let document: JSONValue
    private let registry: SchemaRegistry
    /// The operations a check has seen answer with a 2xx status, as `GET /path/{template}`;
    /// guarded by `lock` because the checks of parallel requests share it.
    private var succeeded: Set<String> = []
    private let lock = NSLock()

    /// - Throws: when the document cannot be registered as a schema document.
    init(_ document: JSONValue) throws {
        self.document = document
        var registry = SchemaRegistry.standard
        try registry.add(document, retrievalURI: Self.documentURI)
        self.registry = registry
    }

    /// Every operation of the document, as `GET /path/{template}`.
    var operations: Set<String> {
        var all: Set<String> = []
        for (path, item) in document["paths"]?.objectValue ?? [:] {
            for method in (item.objectValue ?? [:]).keys where Self.methods.contains(method) { all.insert("\(method.uppercased()) \(path)") }
        }
        return all
    }

    static let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    /// The operations no check has seen succeed yet.
    var unexercised: Set<String> { lock.withLock { operations.subtracting(succeeded) } }

    /// The response object documented for `status`, with a `$ref` to `components/responses` followed.
    func response(_ method: HTTPRequest.Method, _ path: String, status: Int) -> JSONValue? {
        guard let declared = document["paths"]?[path]?[method.rawValue.lowercased()]?["responses"]?[String(status)] else { return nil }
        if let reference = declared["$ref"]?.stringValue, reference.hasPrefix("#/components/responses/") {
            return document["components"]?["responses"]?[String(reference.dropFirst("#/components/responses/".count))]
        }
        return declared
    }

    /// Records an issue unless `status` is documented for the operation and `body` (when the
    /// documented response is JSON) validates against the documented schema.
    func check(
        _ method: HTTPRequest.Method, _ path: String, _ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let status = Int(response.status.code)
        guard let documented = self.response(method, path, status: status) else {
            Issue.record("\(method) \(path) answered \(status), which the document does not list", sourceLocation: sourceLocation)
            return
        }
        if (200..<300).contains(status) { _ = lock.withLock { succeeded.insert("\(method.rawValue) \(path)") } }
        let contentType = response.headers[.contentType] ?? ""
        let content = documented["content"]?.objectValue ?? [:]
        #expect(content.isEmpty || content[contentType] != nil,
                "\(method) \(path) \(status): content type \(contentType) is not documented (\(content.keys.sorted()))",
                sourceLocation: sourceLocation)
        for name in (documented["headers"]?.objectValue ?? [:]).keys {
            #expect(response.headers[HTTPField.Name(name)!] != nil, "\(method) \(path) \(status): header \(name) is missing",
                    sourceLocation: sourceLocation)
        }
        guard let schema = content["application/json"]?["schema"], contentType == "application/json" else { return }
        do {
            let compiled = try compile(Self.absolute(schema))
            let body = try JSONValue(parsing: Data(response.body.readableBytesView))
            let result = compiled.validate(body)
            let problems = result.errors.prefix(5).map { "\($0.instanceLocation): \($0.message)" }.joined(separator: "; ")
            #expect(result.isValid, "\(method) \(path) \(status): the body does not match the documented schema: \(problems)",
                    sourceLocation: sourceLocation)
        } catch {
            Issue.record("\(method) \(path) \(status): \(error)", sourceLocation: sourceLocation)
        }
    }

    /// Compiles `schema` (with absolute references) against the registered document.
    /// - Throws: ``SchemaCompileError`` for an unresolvable reference or a malformed keyword.
    func compile(_ schema: JSONValue) throws -> JSONSchema {
        try JSONSchema(schema, baseURI: "https://toolhost.invalid/check.json", registry: registry)
    }

    /// Compiles the schema at `reference` (`#/components/schemas/ToolDetail`) in the document.
    func compile(reference: String) throws -> JSONSchema {
        try compile(["$ref": .string(Self.documentURI + reference)])
    }

    /// `schema` with every document-relative `$ref` (`#/components/…`) made absolute, so that it
    /// resolves into the registered document once compiled on its own.
    static func absolute(_ schema: JSONValue) -> JSONValue {
        switch schema {
        case .object(let members):
            var result: [String: JSONValue] = [:]
            for (key, value) in members {
                if key == "$ref", let reference = value.stringValue, reference.hasPrefix("#") {
                    result[key] = .string(documentURI + reference)
                } else {
                    result[key] = absolute(value)
                }
            }
            return .object(result)
        case .array(let elements): return .array(elements.map(absolute))
        default: return schema
        }
    }
}
