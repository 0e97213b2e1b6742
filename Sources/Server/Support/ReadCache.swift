import Synchronization

/// Reads of the catalog reused for a short time by requests that ask the same thing: the caller an
/// API key belongs to, the bytes of a tool's JSON.
///
/// An entry is used only while the store's revision (``Registry/CatalogStore/revision()``) is the one
/// it was read at, so that a write — through this server, or by another process on the same store —
/// is seen by the next request; and only for `lifetime` at most.
final class ReadCache<Value: Sendable>: Sendable {
    private struct Entry: Sendable {
        var value: Value
        var revision: Int
        var expires: ContinuousClock.Instant
    }

    /// Shared by the event-loop threads that serve requests.
    private let entries = Mutex<[String: Entry]>([:])
    let lifetime: Duration
    /// Past this many entries the cache starts again empty: simple, and bounded whatever the keys.
    let capacity: Int

    init(lifetime: Duration, capacity: Int = 4096) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The value cached under `key` at `revision`, or what `read` returns (cached unless nil).
    ///
    /// Pass the catalog's revision as it was *before* `read` runs: a write that commits meanwhile
    /// then makes the entry stale rather than letting it hide the write.
    func value(for key: String, revision: Int, read: () async throws -> Value?) async rethrows -> Value? {
        guard lifetime > .zero else { return try await read() }
        let now = ContinuousClock.now
        if let entry = entries.withLock({ $0[key] }), entry.revision == revision, entry.expires > now {
            return entry.value
        }
        guard let value = try await read() else { return nil }
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = Entry(value: value, revision: revision, expires: now + lifetime)
        }
        return value
    }
}
