import Foundation
import Synchronization
import ToolhostCore

/// When a tool's circuit opens and how long it stays open.
public struct CircuitBreakerPolicy: Sendable, Hashable {
    /// Failures within ``window`` that open the circuit.
    public var failureThreshold = 5
    /// How far back failures count, in seconds.
    public var window: Double = 60
    /// How long an open circuit fails calls fast before it lets one trial call through, in seconds.
    public var coolDown: Double = 30

    public init() {}
}

/// The state of one tool's circuit for one tenant, as the API shows it.
public struct CircuitState: Sendable, Hashable, Codable {
    public enum State: String, Sendable, Hashable, Codable {
        /// Calls pass; failures are counted.
        case closed
        /// Calls fail fast until the cool-down is over.
        case open
        /// One trial call is running; its result closes or reopens the circuit.
        case halfOpen = "half_open"
    }

    public var tenant: String
    public var tool: String
    public var state: State
    /// Failures still inside the window, oldest first.
    public var recentFailures: [Date]
    public var openedAt: Date?
    public var lastError: String?
    /// When an open circuit lets a trial call through.
    public var retryAfter: Date?
}

/// Circuit breakers per tool and tenant: closed → open after N failures in a window → half-open
/// after the cool-down (one trial call) → closed on success or open again on failure.
///
/// The state is kept in memory for the hot path (a successful call on a closed circuit writes
/// nothing and reads nothing) and written through to the store on every change, so that open
/// circuits survive a restart. What other hosts on the same store changed is read again at most
/// every ``refreshInterval``. A Mutex because calls on any task consult it; the store is used
/// outside the lock.
public final class CircuitBreakers: Sendable {
    public let policy: CircuitBreakerPolicy
    /// How stale the view of other hosts' changes may be.
    public let refreshInterval: Duration
    private let store: any CircuitStateStore
    private let states: Mutex<(states: [String: CircuitState], loadedAt: ContinuousClock.Instant)>

    /// Loads the stored states.
    /// - Throws: ``ToolhostError`` `storage_error`.
    public init(store: any CircuitStateStore, policy: CircuitBreakerPolicy = CircuitBreakerPolicy(),
                refreshInterval: Duration = .seconds(1)) async throws(ToolhostError) {
        self.store = store
        self.policy = policy
        self.refreshInterval = refreshInterval
        let loaded = try await store.circuitStates()
        states = Mutex((Self.index(loaded), .now))
    }

    /// Reads the stored states again when the last read is older than ``refreshInterval``: another
    /// host may have opened or closed a circuit.
    private func refreshIfStale() async {
        let now = ContinuousClock.now
        let due = states.withLock { current -> Bool in
            guard now - current.loadedAt >= refreshInterval else { return false }
            current.loadedAt = now  // one refresh at a time; the others go on with what is there
            return true
        }
        guard due, let loaded = try? await store.circuitStates() else { return }
        states.withLock { $0.states = Self.index(loaded) }
    }

    private static func index(_ states: [CircuitState]) -> [String: CircuitState] {
        Dictionary(states.map { (key($0.tenant, $0.tool), $0) }, uniquingKeysWith: { $1 })
    }

    /// Lets a call through, or refuses it while the circuit is open (or while a trial call runs).
    /// - Throws: ``ToolhostError`` `circuit_open` saying when to retry (``ToolhostCore/ToolhostError/retryAfterSeconds``,
    ///   at least 1, also in `details` for API clients).
    public func admit(tenant: String, tool: String, now: Date = Date()) async throws(ToolhostError) {
        await refreshIfStale()
        let key = Self.key(tenant, tool)
        let (changed, refusal) = states.withLock { locked -> (CircuitState?, (message: String, wait: Int)?) in
            guard var state = locked.states[key], state.state != .closed else { return (nil, nil) }
            let reopenAt = (state.openedAt ?? now).addingTimeInterval(policy.coolDown)
            if now < reopenAt {
                let wait = max(1, Int(reopenAt.timeIntervalSince(now).rounded(.up)))
                let why = state.state == .open ? "failed \(policy.failureThreshold) times within \(Int(policy.window)) s" : "is being tried again"
                return (nil, ("the circuit of \(tool) is \(state.state.rawValue): it \(why) (last error: \(state.lastError ?? "unknown")); retry in \(wait) s", wait))
            }
            // Cool-down over (or a trial that never reported back): this call is the trial.
            state.state = .halfOpen
            state.openedAt = now
            locked.states[key] = state
            return (state, nil)
        }
        if let refusal {
            throw ToolhostError(.circuitOpen, refusal.message, details: ["tool": .string(tool), "retryAfterSeconds": .int(refusal.wait)],
                                retryAfterSeconds: refusal.wait)
        }
        if let changed { try await store.saveCircuitState(changed) }
    }

    /// Records how an admitted call ended. `failure` is nil for a success.
    public func record(tenant: String, tool: String, failure: String?, now: Date = Date()) async throws(ToolhostError) {
        let key = Self.key(tenant, tool)
        let changed = states.withLock { locked -> CircuitState? in
            var state = locked.states[key] ?? CircuitState(tenant: tenant, tool: tool, state: .closed, recentFailures: [], openedAt: nil, lastError: nil)
            let before = state
            guard let failure else {
                // The hot path: success on a closed circuit with no failures pending changes nothing.
                guard state.state != .closed || !state.recentFailures.isEmpty else { return nil }
                state.state = .closed
                state.recentFailures = []
                state.openedAt = nil
                locked.states[key] = state
                return state
            }
            state.lastError = failure
            state.recentFailures = state.recentFailures.filter { now.timeIntervalSince($0) < policy.window } + [now]
            if state.state == .halfOpen || state.recentFailures.count >= policy.failureThreshold {
                state.state = .open
                state.openedAt = now
            }
            locked.states[key] = state
            return state == before ? nil : state
        }
        if let changed { try await store.saveCircuitState(changed) }
    }

    /// The circuits of `tenant` that are not closed or have recent failures, optionally of one tool.
    public func states(tenant: String, tool: String? = nil, now: Date = Date()) async -> [CircuitState] {
        await refreshIfStale()
        return states.withLock { locked in
            locked.states.values
                .filter { $0.tenant == tenant && (tool == nil || $0.tool == tool) }
                .map { state in
                    var shown = state
                    shown.recentFailures = state.recentFailures.filter { now.timeIntervalSince($0) < policy.window }
                    shown.retryAfter = state.state == .closed ? nil : state.openedAt?.addingTimeInterval(policy.coolDown)
                    return shown
                }
                .sorted { $0.tool < $1.tool }
        }
    }

    /// The state of one tool's circuit (closed when nothing was recorded).
    public func state(tenant: String, tool: String, now: Date = Date()) async -> CircuitState {
        await states(tenant: tenant, tool: tool, now: now).first
            ?? CircuitState(tenant: tenant, tool: tool, state: .closed, recentFailures: [], openedAt: nil, lastError: nil)
    }

    private static func key(_ tenant: String, _ tool: String) -> String { "\(tenant)\u{0}\(tool)" }
}
