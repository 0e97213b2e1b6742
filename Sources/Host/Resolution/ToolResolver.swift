import Registry
import Synchronization
import ToolhostCore

/// Turns `name@range` into one version of one tool, as the caller's tenant may see it.
///
/// Ranges follow npm semantics; a yanked version is chosen only when pinned exactly (PyPI). Results
/// are cached per tenant and reference until the catalog changes (its ``CatalogStore/revision()``),
/// because compiling a tool's two schemas costs more than the rest of a call to a small built-in.
final class ToolResolver: Sendable {
    let catalog: any CatalogStore
    private let cache = Mutex<(revision: Int, entries: [String: ResolvedTool])>((-1, [:]))

    init(catalog: any CatalogStore) {
        self.catalog = catalog
    }

    /// - Throws: ``ToolhostError`` `not_found` when no visible version matches, `invalid_input`
    ///   when a package has several tools and the reference does not say which.
    func resolve(_ reference: ToolReference, tenant: String) async throws(ToolhostError) -> ResolvedTool {
        let key = "\(tenant)\u{0}\(reference)"
        let revision = await catalog.revision()
        if let cached = cache.withLock({ $0.revision == revision ? $0.entries[key] : nil }) {
            return cached
        }
        let resolved = try await resolveUncached(reference, tenant: tenant)
        cache.withLock { cache in
            if cache.revision != revision { cache = (revision, [:]) }
            cache.entries[key] = resolved
        }
        return resolved
    }

    private func resolveUncached(_ reference: ToolReference, tenant: String) async throws(ToolhostError) -> ResolvedTool {
        guard let packageName = reference.packageName else {
            // A built-in: its package is toolhost/<name>.
            let packageName = "\(QualifiedToolName.builtinNamespace)/\(reference.name)"
            let version = try await version(of: packageName, matching: reference, tenant: tenant)
            return try await load(qualifiedName: reference.name, version: version, tenant: tenant, archive: nil)
        }
        let version = try await version(of: packageName, matching: reference, tenant: tenant)
        let detail = try await catalog.packageVersion(named: packageName, version: version, visibleTo: tenant)
        let toolName: String
        let segments = reference.name.split(separator: "/")
        if segments.count == 3 {
            toolName = String(segments[2])
        } else {
            let tools = detail.manifest["tools"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            guard tools.count == 1 else {
                throw ToolhostError(.invalidInput, "package \(packageName)@\(version) has \(tools.count) tools (\(tools.joined(separator: ", "))); call one as \(packageName)/<tool>")
            }
            toolName = tools[0]
        }
        return try await load(qualifiedName: "\(packageName)/\(toolName)", version: version, tenant: tenant, archive: detail.sha256)
    }

    private func version(of packageName: String, matching reference: ToolReference, tenant: String) async throws(ToolhostError) -> SemanticVersion {
        let package: PackageSummary
        do {
            package = try await catalog.package(named: packageName, visibleTo: tenant)
        } catch where error.code == .notFound {
            throw ToolhostError(.notFound, "no tool named \"\(reference.name)\" in the catalog")
        }
        guard let range = reference.range else {
            guard let latest = package.latest else {
                throw ToolhostError(.notFound, "package \(packageName) has no version that is not yanked")
            }
            return latest
        }
        let yanked = Set(package.versions.filter(\.yanked).map(\.version))
        guard let best = range.bestMatch(in: package.versions.map(\.version), isExcluded: yanked.contains) else {
            let available = package.versions.filter { !$0.yanked }.map(\.version.description).joined(separator: ", ")
            throw ToolhostError(.notFound, "no version of \(packageName) matches \(reference.rangeText ?? ""); available: \(available.isEmpty ? "none" : available)")
        }
        return best
    }

    private func load(qualifiedName: String, version: SemanticVersion, tenant: String, archive: String?) async throws(ToolhostError) -> ResolvedTool {
        let detail = try await catalog.tool(named: qualifiedName, version: version, visibleTo: tenant)
        do {
            return ResolvedTool(
                detail: detail, archiveSHA256: archive,
                inputSchema: try JSONSchema(detail.definition.inputSchema), outputSchema: try JSONSchema(detail.definition.outputSchema))
        } catch {
            throw ToolhostError(.internalError, "the schemas of \(qualifiedName)@\(version) do not compile: \(error)")
        }
    }
}
