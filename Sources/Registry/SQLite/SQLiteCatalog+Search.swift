import Foundation
import GRDB
import Storage
import ToolhostCore

extension SQLiteCatalog {
    public func searchTools(_ query: ToolSearchQuery) async throws(ToolhostError) -> [ToolSummary] {
        guard query.limit > 0, query.limit <= 1000 else {
            throw ToolhostError(.invalidInput, "limit must be between 1 and 1000, got \(query.limit)")
        }
        guard query.offset >= 0 else {
            throw ToolhostError(.invalidInput, "offset must not be negative, got \(query.offset)")
        }
        let words = FullTextQuery.words(in: query.text)
        return try await database.read { db in
            if words.isEmpty { return try Self.fetchSummaries(query, match: nil, in: db) }
            // Every word must match; when that finds nothing, any word may, so a long query
            // with one unknown word still finds the tools the other words describe.
            let all = try Self.fetchSummaries(query, match: FullTextQuery.allOf(words), in: db)
            if !all.isEmpty || words.count == 1 { return all }
            return try Self.fetchSummaries(query, match: FullTextQuery.anyOf(words), in: db)
        }
    }

    private static func fetchSummaries(_ query: ToolSearchQuery, match: String?, in db: Database) throws -> [ToolSummary] {
        var sql = """
            SELECT t.qualifiedName, t.title, t.description, t.privilegeLevel,
                   t.readOnly, t.destructive, t.idempotent, t.openWorld,
                   p.name AS package, p.isBuiltin, v.version, v.deprecationMessage
            FROM tool t
            JOIN packageVersion v ON v.id = t.versionId
            JOIN package p ON p.latestVersionId = v.id
            """
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        if let match {
            sql += " JOIN toolSearch s ON s.rowid = t.id"
            conditions.append("toolSearch MATCH ?")
            arguments.append(match)
        }
        if let tenant = query.visibleTo {
            conditions.append("(p.visibility = 'public' OR p.tenant = ?)")
            arguments.append(tenant)
        }
        if let level = query.maxPrivilege {
            conditions.append("t.privilegeLevel <= ?")
            arguments.append(level.rawValue)
        }
        for (column, wanted) in [("readOnly", query.readOnly), ("destructive", query.destructive),
                                 ("idempotent", query.idempotent), ("openWorld", query.openWorld)] {
            guard let wanted else { continue }
            conditions.append("t.\(column) = ?")
            arguments.append(wanted)
        }
        for (direction, requirements) in [("input", query.takes), ("output", query.returns)] {
            for requirement in requirements {
                conditions.append(propertyCondition(requirement))
                arguments.append(direction)
                arguments.append(requirement.path)
                if let type = requirement.type {
                    arguments.append(type)
                    arguments.append(type)
                }
            }
        }
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        if match != nil {
            // Exact name first, then names that start with the text, then relevance (name and
            // keywords weigh more than prose).
            sql += """
                 ORDER BY (lower(t.qualifiedName) = lower(?) OR lower(t.name) = lower(?)) DESC,
                          (t.name LIKE ? ESCAPE '\\') DESC,
                          bm25(toolSearch, 10.0, 5.0, 1.0, 3.0),
                          t.qualifiedName
                """
            let text = query.text.trimmingCharacters(in: .whitespaces)
            arguments += [text, text, FullTextQuery.likePrefix(text)]
        } else {
            sql += " ORDER BY t.qualifiedName"
        }
        sql += " LIMIT ? OFFSET ?"
        arguments += [query.limit, query.offset]
        return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map(summary)
    }

    /// An `EXISTS` over the capability index; `number` admits `integer`, and a property without a
    /// declared type admits any type.
    private static func propertyCondition(_ requirement: PropertyRequirement) -> String {
        let typeCheck = requirement.type == nil ? "" : " AND (p.type IS NULL OR p.type = ? OR (? = 'number' AND p.type = 'integer'))"
        return "EXISTS (SELECT 1 FROM toolProperty p WHERE p.toolId = t.id AND p.direction = ? AND p.path = ?\(typeCheck))"
    }

    /// A summary from the indexed columns alone: listing must not decode every tool's schemas.
    private static func summary(_ row: Row) throws -> ToolSummary {
        guard let level = PrivilegeLevel(rawValue: row["privilegeLevel"]) else {
            throw ToolhostError(.internalError, "tool \(row["qualifiedName"] as String) has an unknown privilege level")
        }
        return ToolSummary(
            name: row["qualifiedName"],
            package: row["package"],
            version: try SemanticVersion(parsing: row["version"] as String),
            title: row["title"],
            description: row["description"],
            privilegeLevel: level,
            annotations: ToolAnnotations(
                readOnlyHint: row["readOnly"], destructiveHint: row["destructive"],
                idempotentHint: row["idempotent"], openWorldHint: row["openWorld"]),
            isBuiltin: row["isBuiltin"],
            deprecated: (row["deprecationMessage"] as String?) != nil)
    }

    public func tool(named qualifiedName: String, version: SemanticVersion?, visibleTo tenant: String?) async throws(ToolhostError) -> ToolDetail {
        try await database.read { db in
            var versionCondition = version == nil ? "p.latestVersionId = v.id" : "v.version = ?"
            var arguments: [any DatabaseValueConvertible] = [qualifiedName]
            if let version { arguments.append(version.description) }
            if let tenant {
                versionCondition += " AND (p.visibility = 'public' OR p.tenant = ?)"
                arguments.append(tenant)
            }
            // Only the manifest members the answer needs, extracted by SQLite: decoding a whole
            // manifest (every tool's schemas) cost more than the rest of the lookup together.
            guard let row = try Row.fetchOne(db, sql: """
                SELECT t.qualifiedName, t.definition, p.id AS packageId, p.name AS package, v.version,
                       json_extract(v.manifest, '$.runtime') AS runtime, json_extract(v.manifest, '$.license') AS license
                FROM tool t
                JOIN packageVersion v ON v.id = t.versionId
                JOIN package p ON p.id = v.packageId
                WHERE t.qualifiedName = ? AND \(versionCondition)
                """, arguments: StatementArguments(arguments))
            else {
                let what = version.map { "\(qualifiedName)@\($0)" } ?? qualifiedName
                throw ToolhostError(.notFound, "no tool named \"\(what)\" in the catalog")
            }
            guard let runtimeText = row["runtime"] as String?, let license = row["license"] as String? else {
                throw ToolhostError(.internalError, "the stored manifest of \(row["package"] as String) has no runtime or license")
            }
            let runtime = try JSONDecoder().decode(Runtime.self, from: Data(runtimeText.utf8))
            let definition = try JSONDecoder().decode(ToolDefinition.self, from: Data((row["definition"] as String).utf8))
            let versions = try Row.fetchAll(db, sql: "SELECT version, yanked, deprecationMessage FROM packageVersion WHERE packageId = ?",
                                            arguments: [row["packageId"] as Int64])
                .map { row in
                    PackageVersionInfo(version: try SemanticVersion(parsing: row["version"] as String),
                                       yanked: row["yanked"], deprecationMessage: row["deprecationMessage"])
                }
                .sorted { $0.version > $1.version }
            return ToolDetail(
                name: row["qualifiedName"], package: row["package"], version: try SemanticVersion(parsing: row["version"] as String),
                versions: versions, runtime: runtime, license: license, definition: definition)
        }
    }
}

/// Builds FTS5 queries from what people type, so that no input is an FTS5 syntax error.
enum FullTextQuery {
    /// The words of `text`: runs of letters and digits, lowercased (FTS5 operators and quotes fall away).
    static func words(in text: String) -> [String] {
        text.lowercased()
            .split(whereSeparator: { !($0.isLetter || $0.isNumber) })
            .map(String.init)
    }

    /// Every word, each as a prefix (`"pdf"* "text"*`).
    static func allOf(_ words: [String]) -> String { words.map { "\"\($0)\"*" }.joined(separator: " ") }

    /// Any of the words, each as a prefix.
    static func anyOf(_ words: [String]) -> String { words.map { "\"\($0)\"*" }.joined(separator: " OR ") }

    /// A LIKE pattern for names starting with `text`, with LIKE's wildcards escaped.
    static func likePrefix(_ text: String) -> String {
        let escaped = text.lowercased()
            .replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
        return escaped + "%"
    }
}
