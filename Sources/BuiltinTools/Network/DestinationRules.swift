/// Where a network tool may connect: the operator's ``NetworkPolicy`` (host allowlist, address
/// guard, response cap) combined with the destinations the tool's manifest declares.
struct DestinationRules: Sendable {
    let allowedHosts: [HostPattern]
    /// The manifest's `network.egress` plus the operator's ``NetworkPolicy/additionalEgress``.
    let egress: [HostPattern]
    let addressGuard: AddressGuard
    let maximumResponseBytes: Int

    /// - Throws: ``ToolFailure`` `not_configured` naming the setting when an entry is malformed.
    init(policy: NetworkPolicy, egress declared: [String]) throws(ToolFailure) {
        func patterns(_ entries: [String], _ setting: String) throws(ToolFailure) -> [HostPattern] {
            var patterns: [HostPattern] = []
            for entry in entries {
                guard let pattern = HostPattern(entry) else {
                    throw ToolFailure(.notConfigured, "\(setting): \"\(entry)\" is not a host, `*.domain` or `*` pattern")
                }
                patterns.append(pattern)
            }
            return patterns
        }
        allowedHosts = try patterns(policy.allowedHosts, "network.allowedHosts")
        egress = try patterns(declared, "the tool's network.egress") + patterns(policy.additionalEgress, "network.additionalEgress")
        addressGuard = try AddressGuard(policy: policy)
        maximumResponseBytes = policy.maximumResponseBytes
    }

    /// Checks a destination before connecting: the host against the allowlist and the egress, an
    /// address literal against the guard (names are checked when curl connects).
    /// - Parameter field: what holds the URL, for messages (`url`, `the redirect to …`).
    /// - Throws: ``ToolFailure`` `denied` naming the host and the rule.
    func check(_ target: URLTarget, field: String) throws(ToolFailure) {
        guard allowedHosts.contains(where: { $0.matches(host: target.host, port: target.port) }) else {
            let allowed = allowedHosts.isEmpty ? "empty" : allowedHosts.map(\.description).joined(separator: ", ")
            throw ToolFailure(.denied, "\(field): the host \(target.host) is not in the host's network.allowedHosts (\(allowed))")
        }
        guard egress.contains(where: { $0.matches(host: target.host, port: target.port) }) else {
            let declared = egress.map(\.description).joined(separator: ", ")
            throw ToolFailure(.denied, "\(field): \(target.host):\(target.port) is outside the tool's declared egress (\(declared))")
        }
        if let address = target.address, let refusal = addressGuard.refusal(host: target.host, address: address) {
            throw ToolFailure(.denied, "\(field): \(refusal.message)")
        }
    }
}
