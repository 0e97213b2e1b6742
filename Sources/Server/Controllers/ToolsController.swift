import Foundation
import Hummingbird
import NIOCore
import Registry
import ToolhostCore

/// `GET /api/v1/tools…`: search and show tools, scoped to the caller's tenant.
struct ToolsController {
    let catalog: any CatalogStore
    /// Tool JSON by tenant and URI: the hottest read of the registry, served without touching
    /// SQLite or re-encoding while the catalog does not change.
    let rendered: ReadCache<ByteBuffer>

    func register(on group: RouterGroup<ToolhostRequestContext>) {
        group.get("tools", use: search)
        // One parameter name per path position (the router's trie requires it): the first segment
        // is a built-in's name or a package's namespace.
        group.get("tools/:name", use: showBuiltin)
        group.get("tools/:name/:package/:tool", use: showPackaged)
    }

    /// Query: `q`, `maxPrivilege`, `readOnly`, `destructive`, `idempotent`, `openWorld` (true|false),
    /// `takes` and `returns` (repeatable, `property[:type]`), `limit` (1-200), `cursor`.
    @Sendable func search(_ request: Request, context: ToolhostRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try caller.require(.read)
        let parameters = request.uri.queryParameters
        var query = ToolSearchQuery(text: parameters.get("q") ?? "")
        query.visibleTo = caller.tenant
        if let level = parameters.get("maxPrivilege") {
            guard let parsed = PrivilegeLevel(parsing: level) else { throw Self.badParameter("maxPrivilege", level, "1-5 or a level name") }
            query.maxPrivilege = parsed
        }
        query.readOnly = try Self.flag(parameters.get("readOnly"), "readOnly")
        query.destructive = try Self.flag(parameters.get("destructive"), "destructive")
        query.idempotent = try Self.flag(parameters.get("idempotent"), "idempotent")
        query.openWorld = try Self.flag(parameters.get("openWorld"), "openWorld")
        query.takes = try parameters.getAll("takes").map { text throws(ToolhostError) in try PropertyRequirement(parsing: text) }
        query.returns = try parameters.getAll("returns").map { text throws(ToolhostError) in try PropertyRequirement(parsing: text) }
        let limit = try parameters.get("limit").map { text in
            guard let value = Int(text), (1...200).contains(value) else { throw Self.badParameter("limit", text, "a number from 1 to 200") }
            return value
        } ?? 50
        let offset = try parameters.get("cursor").map { try Cursor.decode($0) } ?? 0
        // One more than asked tells whether there is a next page.
        query.limit = limit + 1
        query.offset = offset
        var tools = try await catalog.searchTools(query)
        let hasMore = tools.count > limit
        tools = Array(tools.prefix(limit))
        struct Page: Encodable {
            var tools: [ToolSummary]
            var nextCursor: String?
        }
        return try JSONResponse.make(Page(tools: tools, nextCursor: hasMore ? Cursor.encode(offset + limit) : nil))
    }

    @Sendable func showBuiltin(_ request: Request, context: ToolhostRequestContext) async throws -> Response {
        try await show(try context.parameters.require("name"), request: request, context: context)
    }

    @Sendable func showPackaged(_ request: Request, context: ToolhostRequestContext) async throws -> Response {
        let name = "\(try context.parameters.require("name"))/\(try context.parameters.require("package"))/\(try context.parameters.require("tool"))"
        return try await show(name, request: request, context: context)
    }

    private func show(_ name: String, request: Request, context: ToolhostRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try caller.require(.read)
        // What a tool looks like depends on the tenant (private packages) and the URI, not on the key.
        let body = try await rendered.value(for: "\(caller.tenant) \(request.uri)", revision: await catalog.revision()) {
            let version = try request.uri.queryParameters.get("version").map { text in
                do { return try SemanticVersion(parsing: text) } catch { throw Self.badParameter("version", text, "a SemVer version") }
            }
            return ByteBuffer(bytes: try JSONResponse.encoder.encode(try await catalog.tool(named: name, version: version, visibleTo: caller.tenant)))
        }
        return JSONResponse.bytes(body ?? ByteBuffer(), status: .ok)
    }

    static func flag(_ text: String?, _ name: String) throws -> Bool? {
        switch text {
        case nil: nil
        case "true": true
        case "false": false
        case let other?: throw badParameter(name, other, "true or false")
        }
    }

    static func badParameter(_ name: String, _ value: String, _ expected: String) -> ToolhostError {
        ToolhostError(.invalidInput, "query parameter \(name)=\"\(value)\": expected \(expected)")
    }
}

/// Opaque page cursors: clients pass back what they were given.
enum Cursor {
    static func encode(_ offset: Int) -> String { Data("o:\(offset)".utf8).base64EncodedString() }

    static func decode(_ text: String) throws -> Int {
        guard let data = Data(base64Encoded: text), let decoded = String(data: data, encoding: .utf8), decoded.hasPrefix("o:"),
            let offset = Int(decoded.dropFirst(2)), offset >= 0
        else {
            throw ToolhostError(.invalidInput, "query parameter cursor: not a cursor this server gave out")
        }
        return offset
    }
}
