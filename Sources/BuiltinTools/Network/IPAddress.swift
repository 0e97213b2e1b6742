import Glibc

/// An IPv4 or IPv6 address as its network-order bytes (4 or 16 of them).
struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    let bytes: [UInt8]

    var isV4: Bool { bytes.count == 4 }

    init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// Parses the canonical text forms only (`inet_pton`): dotted-quad IPv4, and IPv6 without
    /// brackets or a zone. Shorthands such as `2130706433` or `0177.1` are not addresses here; curl
    /// normalises those in URLs, and the connect-time check sees the real address anyway.
    init?(_ text: String) {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            self.bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            self.bytes = withUnsafeBytes(of: &v6) { Array($0) }
            return
        }
        return nil
    }

    /// The address a socket address names; nil for other families.
    init?(socketAddress: UnsafePointer<sockaddr>) {
        switch Int32(socketAddress.pointee.sa_family) {
        case AF_INET:
            let v4 = UnsafeRawPointer(socketAddress).loadUnaligned(as: sockaddr_in.self)
            self.bytes = withUnsafeBytes(of: v4.sin_addr) { Array($0) }
        case AF_INET6:
            let v6 = UnsafeRawPointer(socketAddress).loadUnaligned(as: sockaddr_in6.self)
            self.bytes = withUnsafeBytes(of: v6.sin6_addr) { Array($0) }
        default:
            return nil
        }
    }

    /// The IPv4 address an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) carries, else self: a
    /// mapped address reaches the same host as the IPv4 one and must be judged like it.
    var unmapped: IPAddress {
        guard bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF else { return self }
        return IPAddress(bytes: Array(bytes[12..<16]))!
    }

    /// Whether the first `prefixLength` bits equal those of `prefix` (same family).
    func hasPrefix(_ prefix: [UInt8], length prefixLength: Int) -> Bool {
        guard prefix.count == bytes.count, prefixLength <= bytes.count * 8 else { return false }
        var remaining = prefixLength
        for index in bytes.indices where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if bytes[index] & mask != prefix[index] & mask { return false }
            remaining -= bits
        }
        return true
    }

    var description: String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = isV4 ? AF_INET : AF_INET6
        let converted = bytes.withUnsafeBytes { raw in inet_ntop(family, raw.baseAddress, &text, socklen_t(text.count)) }
        guard converted != nil else { return bytes.map(String.init).joined(separator: ".") }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// An address block in CIDR notation (`10.1.2.0/24`, `fd00::/8`); a bare address is a block of one.
struct IPBlock: Sendable, Hashable, CustomStringConvertible {
    let network: IPAddress
    let prefixLength: Int

    init(network: IPAddress, prefixLength: Int) {
        self.network = network
        self.prefixLength = prefixLength
    }

    init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(String(parts[0])) else { return nil }
        let maximum = address.bytes.count * 8
        var length = maximum
        if parts.count == 2 {
            guard parts[1].allSatisfy(\.isASCII), let written = Int(parts[1]), (0...maximum).contains(written) else { return nil }
            length = written
        }
        // A block written as mapped IPv6 (`::ffff:10.0.0.0/104`) is the IPv4 block it maps.
        if address.unmapped.isV4 && !address.isV4 {
            guard length >= 96 else { return nil }
            self.init(network: address.unmapped, prefixLength: length - 96)
        } else {
            self.init(network: address, prefixLength: length)
        }
    }

    func contains(_ address: IPAddress) -> Bool {
        address.unmapped.hasPrefix(network.bytes, length: prefixLength)
    }

    var description: String { "\(network)/\(prefixLength)" }
}
