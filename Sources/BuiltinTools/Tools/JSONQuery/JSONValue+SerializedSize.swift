import ToolhostCore

extension JSONValue {
    /// Whether the compact serialization is longer than `limit` bytes, decided without serializing.
    ///
    /// A JMESPath result can share structure (`[@, @] | [@, @] | …`) and be vastly larger written
    /// out than it is in memory; the walk counts a lower bound of at least one byte a node and
    /// stops as soon as it passes `limit`, so it never visits more than `limit` nodes.
    func serializedSizeExceeds(_ limit: Int) -> Bool {
        var remaining = limit
        return !Self.fits(self, within: &remaining)
    }

    private static func fits(_ value: JSONValue, within remaining: inout Int) -> Bool {
        switch value {
        case .null, .bool: remaining -= 4
        case .int, .double: remaining -= 1
        case .string(let string): remaining -= string.utf8.count + 2
        case .array(let elements):
            remaining -= 1 + max(elements.count, 1)
            for element in elements where remaining >= 0 {
                if !fits(element, within: &remaining) { return false }
            }
        case .object(let members):
            remaining -= 1 + max(members.count, 1)
            for (key, member) in members where remaining >= 0 {
                remaining -= key.utf8.count + 3
                if !fits(member, within: &remaining) { return false }
            }
        }
        return remaining >= 0
    }
}
