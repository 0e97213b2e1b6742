/// A text held as UTF-16 at a fixed address, as ICU's matcher needs it, with conversion of
/// UTF-16 offsets to the Unicode code-point offsets the tools report.
///
/// ICU keeps a pointer to the text rather than a copy, so the buffer is allocated once here and
/// lives as long as this object (and the ``RegexEngine`` that holds it).
final class RegexText {
    /// The start of the UTF-16 code units; never moved or freed before `deinit`.
    let base: UnsafeMutablePointer<UInt16>
    /// Number of UTF-16 code units.
    let utf16Count: Int
    /// UTF-16 offsets of the second halves of surrogate pairs, ascending: the code units that do
    /// not start a code point.
    private let trailSurrogates: [Int]

    /// Copies `string` into a UTF-16 buffer.
    init(_ string: String) {
        let units = string.utf16
        utf16Count = units.count
        base = .allocate(capacity: max(utf16Count, 1))
        var trails: [Int] = []
        var offset = 0
        for unit in units {
            (base + offset).initialize(to: unit)
            if UTF16.isTrailSurrogate(unit) { trails.append(offset) }
            offset += 1
        }
        trailSurrogates = trails
    }

    deinit {
        base.deinitialize(count: utf16Count)
        base.deallocate()
    }

    /// The code units as a buffer.
    var units: UnsafeBufferPointer<UInt16> {
        UnsafeBufferPointer(start: base, count: utf16Count)
    }

    /// The code-point offset of a UTF-16 offset that lies on a code-point boundary.
    func codePointOffset(ofUTF16 offset: Int) -> Int {
        guard !trailSurrogates.isEmpty else { return offset }
        var low = 0
        var high = trailSurrogates.count
        while low < high {
            let middle = (low + high) / 2
            if trailSurrogates[middle] < offset { low = middle + 1 } else { high = middle }
        }
        return offset - low
    }

    /// The text of a UTF-16 range.
    func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: units[range]), as: UTF16.self)
    }
}
