import ArgumentParser

/// A byte count written as people write it: `65536`, `64K`, `128M`, `2G` (powers of 1024).
struct ByteCount: ExpressibleByArgument {
    var bytes: Int

    init?(argument: String) {
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        var text = argument.uppercased()
        if text.hasSuffix("B") { text.removeLast() }
        var multiplier = 1
        if let last = text.last, let unit = units[last] {
            multiplier = unit
            text.removeLast()
        }
        guard let value = Int(text), value > 0, value <= Int.max / multiplier else { return nil }
        bytes = value * multiplier
    }

    static var defaultCompletionKind: CompletionKind { .default }
}

/// A duration written as `500ms`, `2s`, `1m`, or a bare number of seconds.
struct Duration: ExpressibleByArgument {
    var milliseconds: Int

    init?(argument: String) {
        let text = argument.lowercased()
        let (number, scale): (Substring, Double) =
            text.hasSuffix("ms") ? (text.dropLast(2), 1)
            : text.hasSuffix("s") ? (text.dropLast(), 1000)
            : text.hasSuffix("m") ? (text.dropLast(), 60_000)
            : (Substring(text), 1000)
        guard let value = Double(number), value > 0, value * scale < Double(Int32.max) else { return nil }
        milliseconds = Int((value * scale).rounded(.up))
    }
}
