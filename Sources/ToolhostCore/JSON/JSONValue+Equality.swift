extension JSONValue: Hashable {
    /// Structural equality where numbers compare by value: `1 == 1.0`, but `1 != true`.
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        // Compare exactly rather than through Double, which would merge neighbours above 2^53.
        case (.int(let a), .double(let b)), (.double(let b), .int(let a)): return Int(exactly: b) == a
        // Code points, not Swift's canonical equivalence: JSON says "é" and "e\u{301}" are different strings.
        case (.string(let a), .string(let b)): return a.utf8.elementsEqual(b.utf8)
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)): return a == b
        default: return false
        }
    }

    /// Hashes consistently with ``==(_:_:)``: an integral double hashes like the equal `Int`.
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null:
            hasher.combine(0)
        case .bool(let value):
            hasher.combine(1)
            hasher.combine(value)
        case .int(let value):
            hasher.combine(2)
            hasher.combine(value)
        case .double(let value):
            hasher.combine(2)
            if let exact = Int(exactly: value) { hasher.combine(exact) } else { hasher.combine(value) }
        case .string(let value):
            hasher.combine(3)
            hasher.combine(value)
        case .array(let value):
            hasher.combine(4)
            hasher.combine(value)
        case .object(let value):
            hasher.combine(5)
            hasher.combine(value)
        }
    }
}
