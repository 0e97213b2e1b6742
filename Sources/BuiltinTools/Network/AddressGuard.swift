import Foundation

/// Decides whether a network tool may connect to an address: the SSRF guard.
///
/// Every address a connection is about to use is checked, after name resolution and on every
/// redirect, so a name that resolves (or re-resolves) to an internal address is caught as well as
/// an address literal. Private, loopback, link-local, multicast and other non-public ranges are
/// refused unless ``NetworkPolicy/allowLoopback`` or ``NetworkPolicy/allowedAddresses`` allow them.
struct AddressGuard: Sendable {
    let allowLoopback: Bool
    let allowedBlocks: [IPBlock]

    /// - Throws: ``ToolFailure`` `not_configured` when an entry of `allowedAddresses` is not an
    ///   address or CIDR block.
    init(policy: NetworkPolicy) throws(ToolFailure) {
        allowLoopback = policy.allowLoopback
        var blocks: [IPBlock] = []
        for entry in policy.allowedAddresses {
            guard let block = IPBlock(entry.trimmingCharacters(in: .whitespaces)) else {
                throw ToolFailure(.notConfigured, "network.allowedAddresses: \"\(entry)\" is not an IP address or CIDR block")
            }
            blocks.append(block)
        }
        allowedBlocks = blocks
    }

    /// Why `address` is refused, as a phrase (`169.254.169.254 is a link-local (cloud metadata)
    /// address`), or nil when it may be used.
    func refusalReason(for address: IPAddress) -> String? {
        if allowedBlocks.contains(where: { $0.contains(address) }) { return nil }
        guard let range = SpecialAddressRange.containing(address) else { return nil }
        if range.isLoopback && allowLoopback { return nil }
        let mapped = address.isV4 == address.unmapped.isV4 ? "" : " (IPv4-mapped \(address.unmapped))"
        let remedy = range.isLoopback ? "network.allowLoopback" : "network.allowedAddresses"
        return "\(address)\(mapped) is \(range.name) address (\(range.block)); the operator can allow it with \(remedy)"
    }

    /// The refusal for connecting to `address` for `host`, naming both.
    func refusal(host: String, address: IPAddress) -> ToolFailure? {
        refusalReason(for: address).map { ToolFailure(.denied, "refused to connect to \(host) at \(address): \($0)") }
    }
}

/// The address ranges that are not public unicast Internet addresses (IANA special-purpose
/// registries for IPv4 and IPv6), which the guard refuses by default.
struct SpecialAddressRange: Sendable {
    let block: IPBlock
    /// With its article: `a loopback`, `a link-local (cloud metadata)`.
    let name: String
    var isLoopback: Bool { name == Self.loopback }

    private static let loopback = "a loopback"

    /// The most specific range holding `address`; mapped, NAT64 and 6to4 IPv6 addresses are judged
    /// by the IPv4 address they carry.
    static func containing(_ address: IPAddress) -> SpecialAddressRange? {
        let address = address.unmapped
        if !address.isV4, let embedded = embeddedIPv4(in: address), let range = containing(embedded) {
            return range
        }
        return table.filter { $0.block.contains(address) }.max { $0.block.prefixLength < $1.block.prefixLength }
    }

    /// The IPv4 address inside a NAT64 (`64:ff9b::/96`) or 6to4 (`2002::/16`) address, which a
    /// translator or relay would connect to.
    private static func embeddedIPv4(in address: IPAddress) -> IPAddress? {
        let bytes = address.bytes
        if address.hasPrefix([0x00, 0x64, 0xFF, 0x9B] + Array(repeating: 0, count: 12), length: 96) {
            return IPAddress(bytes: Array(bytes[12..<16]))
        }
        if bytes[0] == 0x20 && bytes[1] == 0x02 {
            return IPAddress(bytes: Array(bytes[2..<6]))
        }
        return nil
    }

    private static let table: [SpecialAddressRange] = [
        ("0.0.0.0/8", "an unspecified (\"this network\")"),
        ("10.0.0.0/8", "a private"),
        ("100.64.0.0/10", "a shared (carrier-grade NAT)"),
        ("127.0.0.0/8", loopback),
        ("169.254.0.0/16", "a link-local"),
        ("169.254.169.254/32", "a link-local (cloud metadata)"),
        ("172.16.0.0/12", "a private"),
        ("192.0.0.0/24", "an IETF protocol assignment"),
        ("192.0.2.0/24", "a documentation (TEST-NET-1)"),
        ("192.88.99.0/24", "a reserved (6to4 relay)"),
        ("192.168.0.0/16", "a private"),
        ("198.18.0.0/15", "a benchmarking"),
        ("198.51.100.0/24", "a documentation (TEST-NET-2)"),
        ("203.0.113.0/24", "a documentation (TEST-NET-3)"),
        ("224.0.0.0/4", "a multicast"),
        ("240.0.0.0/4", "a reserved"),
        ("255.255.255.255/32", "a broadcast"),
        ("::/128", "an unspecified"),
        ("::1/128", loopback),
        ("::/96", "a reserved (IPv4-compatible)"),
        ("64:ff9b:1::/48", "a private (local NAT64)"),
        ("100::/64", "a discard-only"),
        ("2001::/32", "a reserved (Teredo)"),
        ("2001:2::/48", "a benchmarking"),
        ("2001:db8::/32", "a documentation"),
        ("fc00::/7", "a private (unique local)"),
        ("fd00:ec2::254/128", "a private (cloud metadata)"),
        ("fe80::/10", "a link-local"),
        ("fec0::/10", "a site-local"),
        ("ff00::/8", "a multicast"),
    ].map { SpecialAddressRange(block: IPBlock($0.0)!, name: $0.1) }
}
