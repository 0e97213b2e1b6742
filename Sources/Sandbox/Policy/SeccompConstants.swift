import Glibc
import ToolhostCore

/// The symbolic constants profiles may use in argument rules, and the errno names.
enum SeccompConstants {
    static let symbols: [String: UInt64] = [
        "AF_UNIX": 1, "AF_INET": 2, "AF_INET6": 10, "AF_NETLINK": 16, "NETLINK_ROUTE": 0,
        "TIOCSTI": 0x5412, "CLONE_THREAD": 0x0001_0000,
        // Every namespace flag clone accepts (CLONE_NEWTIME is unshare/clone3-only: in clone's
        // flags 0x80 is part of the exit signal).
        "CLONE_NEW_ANY": cloneNewAny,
        // libseccomp takes one comparison per argument in a rule, so "a thread and no namespace" is
        // one masked comparison: CLONE_THREAD set, every CLONE_NEW* flag clear.
        "CLONE_NEW_ANY_OR_THREAD": cloneNewAny | 0x0001_0000,
    ]

    static let cloneNewAny: UInt64 = 0x0002_0000 | 0x0200_0000 | 0x0400_0000 | 0x0800_0000 | 0x1000_0000 | 0x2000_0000 | 0x4000_0000

    static let errno: [String: Int32] = [
        "EPERM": EPERM, "ENOSYS": ENOSYS, "EACCES": EACCES, "EINVAL": EINVAL, "EAFNOSUPPORT": EAFNOSUPPORT,
    ]

    /// A rule value: a symbol, a decimal number, or a 0x hex number.
    static func value(_ text: String, profile: String, syscall: String) throws(ToolhostError) -> UInt64 {
        if let symbol = symbols[text] { return symbol }
        if text.hasPrefix("0x"), let hex = UInt64(text.dropFirst(2), radix: 16) { return hex }
        if let decimal = UInt64(text) { return decimal }
        throw ToolhostError(.invalidInput, "seccomp profile \(profile): rule for \(syscall): unknown value \"\(text)\" (a number or one of \(symbols.keys.sorted().joined(separator: ", ")))")
    }
}
