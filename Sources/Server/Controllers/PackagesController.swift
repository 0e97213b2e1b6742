import HTTPTypes
import Logging
import Foundation
import Hummingbird
import NIOCore
import Registry
import ToolhostCore

/// `/api/v1/packages…` and `/api/v1/namespaces…`: publish, show, download, yank, deprecate, signing keys.
struct PackagesController {
    let catalog: any CatalogStore
    let publishing: any PublishingStore
    let limits: PackageArchiveLimits
    /// Filled into manifests that leave limits out (nil when no sandbox policy could be read).
    let limitDefaults: ToolLimitDefaults?

    func register(on group: RouterGroup<ToolhostRequestContext>) {
        group.post("packages", use: publish)
        group.get("packages/:namespace/:package", use: showPackage)
        group.get("packages/:namespace/:package/versions/:version", use: showVersion)
        group.get("packages/:namespace/:package/versions/:version/archive", use: download)
        group.post("packages/:namespace/:package/versions/:version/yank", use: yank)
        group.post("packages/:namespace/:package/versions/:version/unyank", use: unyank)
        group.post("packages/:namespace/:package/versions/:version/deprecate", use: deprecate)
        group.post("namespaces/:namespace/signing-keys", use: registerSigningKey)
    }

    /// The body is the archive (`.tar.gz` or `.zip`); headers `X-Toolhost-Checksum` (sha256 hex) and
    /// `X-Toolhost-Signature` (base64 Ed25519); query `visibility=public|private`.
    @Sendable func publish(_ request: Request, context: ToolhostRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try caller.require(.publish)
        let archive = try await request.collectBody(upTo: limits.maxArchiveBytes)
        var upload = PublishRequest(archive: archive, caller: caller)
        upload.limitDefaults = limitDefaults
        upload.checksum = request.headers[HTTPField.Name("X-Toolhost-Checksum")!]
        upload.signature = request.headers[HTTPField.Name("X-Toolhost-Signature")!]
        upload.remoteAddress = context.remoteAddress
        if let visibility = request.uri.queryParameters.get("visibility") {
            guard let parsed = Visibility(rawValue: visibility) else {
                throw ToolsController.badParameter("visibility", visibility, "public or private")
            }
            upload.visibility = parsed
        }
        let published = try await publishing.publish(upload, limits: limits)
        context.logger.info(
            "published \(published.name)@\(published.version) sha256:\(published.sha256)", metadata: ["tenant": .string(caller.tenant)])
        return try JSONResponse.make(published, status: .created)
    }

    @Sendable func showPackage(_ request: Request, context: ToolhostRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try caller.require(.read)
        return try JSONResponse.make(try await catalog.package(named: try Self.name(context), visibleTo: caller.tenant))
    }

    @Sendable func showVersion(_ request: Request, context: ToolhostRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try caller.require(.read)
        return try JSONResponse.make(try await catalog.packageVersion(named: try Self.name(context), version: try Self.version(context), visibleTo: caller.tenant))
    }

    @Sendable func download(_ request: Request, context: ToolhostRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try caller.require(.read)
        let detail = try await catalog.packageVersion(named: try Self.name(context), version: try Self.version(context), visibleTo: caller.tenant)
        guard let sha256 = detail.sha256, let data = await publishing.archive(sha256: sha256) else {
            throw ToolhostError(.notFound, "\(detail.name)@\(detail.version) has no archive (built-in packages ship with the host)")
        }
        // Archives are stored as uploaded: a zip (local file header `PK\3\4`) or a tar.gz.
        let contentType = data.starts(with: [0x50, 0x4B, 0x03, 0x04]) ? "application/zip" : "application/gzip"
        return Response(
            status: .ok,
            headers: [.contentType: contentType, HTTPField.Name("X-Toolhost-Checksum")!: sha256],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    struct ReasonBody: Decodable { var reason: String? }
    struct MessageBody: Decodable { var message: String? }
    struct KeyBody: Decodable { var publicKey: String }

    @Sendable func yank(_ request: Request, context: ToolhostRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(ReasonBody.self)
        return try await setYanked(true, reason: body.reason, context: context)
    }

    @Sendable func unyank(_ request: Request, context: ToolhostRequestContext) async throws -> Response {
        try await setYanked(false, reason: nil, context: context)
    }

    private func setYanked(_ yanked: Bool, reason: String?, context: ToolhostRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let name = try Self.name(context)
        let version = try Self.version(context)
        try await publishing.setYanked(yanked, name: name, version: version, reason: reason, caller: caller)
        return try JSONResponse.make(try await catalog.packageVersion(named: name, version: version, visibleTo: caller.tenant))
    }

    @Sendable func deprecate(_ request: Request, context: ToolhostRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let body = try await request.decodeJSON(MessageBody.self)
        let name = try Self.name(context)
        let version = try Self.version(context)
        try await publishing.deprecate(name: name, version: version, message: body.message.flatMap { $0.isEmpty ? nil : $0 }, caller: caller)
        return try JSONResponse.make(try await catalog.packageVersion(named: name, version: version, visibleTo: caller.tenant))
    }

    @Sendable func registerSigningKey(_ request: Request, context: ToolhostRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let body = try await request.decodeJSON(KeyBody.self)
        let namespace = try context.parameters.require("namespace")
        let fingerprint = try await publishing.registerSigningKey(body.publicKey, namespace: namespace, caller: caller)
        return JSONResponse.make(JSONValue.object(["namespace": .string(namespace), "fingerprint": .string(fingerprint)]), status: .created)
    }

    static func name(_ context: ToolhostRequestContext) throws -> String {
        "\(try context.parameters.require("namespace"))/\(try context.parameters.require("package"))"
    }

    static func version(_ context: ToolhostRequestContext) throws -> SemanticVersion {
        let text = try context.parameters.require("version")
        do { return try SemanticVersion(parsing: text) } catch {
            throw ToolhostError(.invalidInput, "version \"\(text)\": \(error.message)")
        }
    }
}
