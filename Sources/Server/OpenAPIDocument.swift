import ToolhostCore

/// The OpenAPI 3.1 description of the API, served at `/openapi.json`.
enum OpenAPIDocument {
    static let document: JSONValue = [
        "openapi": "3.1.0",
        "info": ["title": "Toolhost", "version": "0.1.0"],
        "paths": [:],
    ]
}
