/// Per-line "changed" marks of one text's compared lines, with an always-clear mark just before the
/// first line and just after the last, which the boundary-shifting scans rely on to stop.
struct ChangeFlags: Sendable {
    private var storage: [Bool]

    init(count: Int) {
        storage = [Bool](repeating: false, count: count + 2)
    }

    /// The mark of line `index`, for `-1...count`.
    subscript(index: Int) -> Bool {
        get { storage[index + 1] }
        set { storage[index + 1] = newValue }
    }
}
