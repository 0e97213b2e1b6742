import ToolhostCore

/// One operation of the OpenAPI document: a method on a path, with what it takes and what it answers.
///
/// The document is a list of these (``OpenAPIDocument/operations``), grouped by path when it is
/// built, so that each route reads as one entry, as in the route table of ``ToolhostServer``.
struct OpenAPIOperation {
    var method: String
    /// An OpenAPI path template, `/api/v1/tools/{name}`.
    var path: String
    var id: String
    var tag: String
    var summary: String
    var description: String?
    var parameters: [JSONValue] = []
    var requestBody: JSONValue?
    /// Status (`"200"`) → response object.
    var responses: [String: JSONValue]
    /// Routes outside `/api/v1` need no key.
    var isPublic = false

    var json: JSONValue {
        var members: [String: JSONValue] = [
            "operationId": .string(id), "tags": [.string(tag)], "summary": .string(summary), "responses": .object(responses),
        ]
        if let description { members["description"] = .string(description) }
        if !parameters.isEmpty { members["parameters"] = .array(parameters) }
        if let requestBody { members["requestBody"] = requestBody }
        if isPublic { members["security"] = [] }
        return .object(members)
    }

    /// `paths`: every operation under its path, keyed by lowercased method.
    static func paths(_ operations: [OpenAPIOperation]) -> JSONValue {
        var paths: [String: [String: JSONValue]] = [:]
        for operation in operations {
            precondition(paths[operation.path]?[operation.method] == nil, "\(operation.method) \(operation.path) is described twice")
            paths[operation.path, default: [:]][operation.method] = operation.json
        }
        return .object(paths.mapValues { JSONValue.object($0) })
    }
}

/// Building blocks of parameters, bodies and responses, so that each operation stays a few lines.
enum OpenAPI {
    static func ref(_ schema: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(schema)")] }

    static func path(_ name: String, _ description: String, schema: JSONValue = ["type": "string"]) -> JSONValue {
        ["name": .string(name), "in": "path", "required": true, "description": .string(description), "schema": schema]
    }

    static func query(_ name: String, _ description: String, schema: JSONValue = ["type": "string"]) -> JSONValue {
        ["name": .string(name), "in": "query", "description": .string(description), "schema": schema]
    }

    /// A query parameter that may be given several times (`takes=a&takes=b`).
    static func repeatedQuery(_ name: String, _ description: String) -> JSONValue {
        [
            "name": .string(name), "in": "query", "description": .string(description), "style": "form", "explode": true,
            "schema": ["type": "array", "items": ["type": "string"]],
        ]
    }

    static func header(_ name: String, _ description: String, schema: JSONValue = ["type": "string"]) -> JSONValue {
        ["name": .string(name), "in": "header", "description": .string(description), "schema": schema]
    }

    /// A JSON request body of the component schema `schema`.
    static func jsonBody(_ schema: String, required: Bool = true, _ description: String? = nil) -> JSONValue {
        var body: [String: JSONValue] = ["required": .bool(required), "content": ["application/json": ["schema": ref(schema)]]]
        if let description { body["description"] = .string(description) }
        return .object(body)
    }

    /// A JSON response of the component schema `schema`.
    static func json(_ description: String, _ schema: String, headers: [String: JSONValue] = [:]) -> JSONValue {
        var response: [String: JSONValue] = ["description": .string(description), "content": ["application/json": ["schema": ref(schema)]]]
        if !headers.isEmpty { response["headers"] = .object(headers) }
        return .object(response)
    }

    /// One of the shared error responses of `components/responses` (``OpenAPIDocument/errorResponses``).
    static func error(_ name: String) -> JSONValue { ["$ref": .string("#/components/responses/\(name)")] }

    /// The error responses every authenticated operation can give, plus `extra`.
    static func authenticated(_ responses: [String: JSONValue], errors extra: [String: String] = [:]) -> [String: JSONValue] {
        var all = responses
        all["401"] = error("Unauthorized")
        all["500"] = error("InternalError")
        for (status, name) in extra { all[status] = error(name) }
        return all
    }
}
