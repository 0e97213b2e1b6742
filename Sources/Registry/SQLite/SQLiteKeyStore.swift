import Crypto
import Foundation
import GRDB
import Storage
import ToolhostCore

/// API keys in the data directory's SQLite database.
public struct SQLiteKeyStore: KeyStore {
    let database: SQLiteDatabase

    init(database: SQLiteDatabase) {
        self.database = database
    }

    public func revision() async -> Int { database.changeCount(SQLiteCatalog.ChangeCounter.keys) }

    public func createAPIKey(tenant: String, name: String, maxPrivilege: PrivilegeLevel, scopes: Set<Scope>) async throws(ToolhostError) -> CreatedAPIKey {
        guard tenant.range(of: "^[a-z0-9][a-z0-9-]{0,62}$", options: .regularExpression) != nil else {
            throw ToolhostError(.invalidInput, "tenant \"\(tenant)\": expected lowercase letters, digits and '-', starting with a letter or digit")
        }
        guard !scopes.isEmpty else { throw ToolhostError(.invalidInput, "an API key needs at least one scope") }
        let keyID = Self.randomToken(bytes: 6)
        let secret = "thk_\(keyID)_\(Self.randomToken(bytes: 24))"
        let caller = Caller(keyID: keyID, tenant: tenant, maxPrivilege: maxPrivilege, scopes: scopes)
        try await database.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO tenant (name, createdAt) VALUES (?, ?)", arguments: [tenant, Date()])
            try db.execute(
                sql: "INSERT INTO apiKey (id, tenant, secretHash, name, maxPrivilege, scopes, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [keyID, tenant, Self.hash(secret), name, maxPrivilege.rawValue,
                            scopes.map(\.rawValue).sorted().joined(separator: ","), Date()])
            try SQLiteAuditLog.record(in: db, tenant: tenant, actor: "system", action: "key.create", target: keyID, detail: ["name": .string(name)])
        }
        return CreatedAPIKey(caller: caller, secret: secret)
    }

    public func authenticate(secret: String) async throws(ToolhostError) -> Caller? {
        let hash = Self.hash(secret)
        return try await database.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT id, tenant, maxPrivilege, scopes FROM apiKey WHERE secretHash = ? AND revokedAt IS NULL",
                                             arguments: [hash]) else { return nil }
            let scopes = Set((row["scopes"] as String).split(separator: ",").compactMap { Scope(rawValue: String($0)) })
            return Caller(keyID: row["id"], tenant: row["tenant"], maxPrivilege: PrivilegeLevel(rawValue: row["maxPrivilege"]) ?? .readOnly, scopes: scopes)
        }
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
