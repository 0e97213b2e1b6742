import Foundation
import Storage
import ToolhostCore

/// API keys and the tenants they belong to: a key's secret is shown once and only its hash is kept.
public protocol KeyStore: Sendable {
    /// A value that changes whenever a key may have been created or revoked, in this process or
    /// another one on the same store; caches of ``authenticate(secret:)`` compare it.
    func revision() async -> Int

    /// Creates an API key for `tenant` (creating the tenant if it is new).
    /// - Throws: ``ToolhostError`` `invalid_input` for a bad tenant name or no scopes, `storage_error`.
    func createAPIKey(tenant: String, name: String, maxPrivilege: PrivilegeLevel, scopes: Set<Scope>) async throws(ToolhostError) -> CreatedAPIKey

    /// The caller a bearer secret belongs to, or nil for an unknown or revoked key.
    /// - Throws: ``ToolhostError`` `storage_error`.
    func authenticate(secret: String) async throws(ToolhostError) -> Caller?
}

/// A newly created API key: the secret is shown once and never stored.
public struct CreatedAPIKey: Sendable {
    public var caller: Caller
    public var secret: String
}

extension KeyStore {
    /// The local tenant's administrator key, created on first start and kept in `file` (mode 0600).
    /// - Returns: the secret.
    /// - Throws: ``ToolhostError`` `storage_error` when the file cannot be written.
    public func ensureAdminKey(file: URL) async throws(ToolhostError) -> String {
        if let existing = try? String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
            !existing.isEmpty, try await authenticate(secret: existing) != nil {
            return existing
        }
        let created = try await createAPIKey(tenant: "local", name: "admin (first start)", maxPrivilege: .superAdmin, scopes: Set(Scope.allCases))
        do throws(PublishError) {
            // Created 0600 from the start, never readable by others between writing and a chmod.
            try KeyFileStorage.write(Data((created.secret + "\n").utf8), to: file, mode: PrivateStorage.fileMode, overwrite: true)
        } catch {
            throw ToolhostError(.storage, "cannot write the admin key to \(file.path): \(error.message)")
        }
        return created.secret
    }
}
