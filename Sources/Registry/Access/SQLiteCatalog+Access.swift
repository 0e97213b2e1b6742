import Crypto
import Foundation
import GRDB
import ToolhostCore

/// A newly created API key: the secret is shown once and never stored.
public struct CreatedAPIKey: Sendable {
    public var caller: Caller
    public var secret: String
}

extension SQLiteCatalog {
    /// Creates an API key for `tenant` (creating the tenant if it is new).
    /// - Throws: ``ToolhostError`` `invalid_input` for a bad tenant name, `storage_error` when the database fails.
    public func createAPIKey(tenant: String, name: String, maxPrivilege: PrivilegeLevel, scopes: Set<Scope>) throws(ToolhostError) -> CreatedAPIKey {
        guard tenant.range(of: "^[a-z0-9][a-z0-9-]{0,62}$", options: .regularExpression) != nil else {
            throw ToolhostError(.invalidInput, "tenant \"\(tenant)\": expected lowercase letters, digits and '-', starting with a letter or digit")
        }
        guard !scopes.isEmpty else { throw ToolhostError(.invalidInput, "an API key needs at least one scope") }
        let keyID = Self.randomToken(bytes: 6)
        let secret = "thk_\(keyID)_\(Self.randomToken(bytes: 24))"
        let caller = Caller(keyID: keyID, tenant: tenant, maxPrivilege: maxPrivilege, scopes: scopes)
        try write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO tenant (name, createdAt) VALUES (?, ?)", arguments: [tenant, Date()])
            try db.execute(
                sql: "INSERT INTO apiKey (id, tenant, secretHash, name, maxPrivilege, scopes, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [keyID, tenant, Self.hash(secret), name, maxPrivilege.rawValue,
                            scopes.map(\.rawValue).sorted().joined(separator: ","), Date()])
            try Self.audit(in: db, tenant: tenant, actor: "system", action: "key.create", target: keyID, detail: ["name": .string(name)])
        }
        return CreatedAPIKey(caller: caller, secret: secret)
    }

    /// The caller a bearer secret belongs to, or nil for an unknown or revoked key.
    /// - Throws: ``ToolhostError`` `storage_error` when the database fails.
    public func authenticate(secret: String) throws(ToolhostError) -> Caller? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT id, tenant, maxPrivilege, scopes FROM apiKey WHERE secretHash = ? AND revokedAt IS NULL",
                                             arguments: [Self.hash(secret)]) else { return nil }
            let scopes = Set((row["scopes"] as String).split(separator: ",").compactMap { Scope(rawValue: String($0)) })
            return Caller(keyID: row["id"], tenant: row["tenant"], maxPrivilege: PrivilegeLevel(rawValue: row["maxPrivilege"]) ?? .readOnly, scopes: scopes)
        }
    }

    /// The local tenant's administrator key, created on first start and kept in `file` (mode 0600).
    /// - Returns: the secret.
    /// - Throws: ``ToolhostError`` `storage_error` when the file cannot be written.
    public func ensureAdminKey(file: URL) throws(ToolhostError) -> String {
        if let existing = try? String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
            !existing.isEmpty, try authenticate(secret: existing) != nil {
            return existing
        }
        let created = try createAPIKey(tenant: "local", name: "admin (first start)", maxPrivilege: .superAdmin, scopes: Set(Scope.allCases))
        do throws(PublishError) {
            // Created 0600 from the start, never readable by others between writing and a chmod.
            try KeyFileStorage.write(Data((created.secret + "\n").utf8), to: file, mode: PrivateStorage.fileMode, overwrite: true)
        } catch {
            throw ToolhostError(.storage, "cannot write the admin key to \(file.path): \(error.message)")
        }
        return created.secret
    }

    static func hash(_ secret: String) -> String {
        // Hex by table: `String(format:)` per byte took longer than the hash and the query together.
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: Data(secret.utf8)) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    static func randomToken(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}
