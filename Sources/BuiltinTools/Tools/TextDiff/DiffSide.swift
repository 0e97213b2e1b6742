/// One text of a comparison, held the way GNU diff holds a file: its bytes, with a newline appended
/// when the last line lacks one (remembered in ``missingNewline``), split into lines at `\n` only.
struct DiffSide: Sendable {
    /// The UTF-8 bytes, ending in `\n` unless the text is empty.
    let bytes: [UInt8]
    /// Whether the text's last line had no newline of its own.
    let missingNewline: Bool
    /// The offset in ``bytes`` where each line starts.
    let lineStarts: [Int]

    init(_ text: String) {
        var bytes = Array(text.utf8)
        missingNewline = !bytes.isEmpty && bytes.last != UInt8(ascii: "\n")
        if missingNewline { bytes.append(UInt8(ascii: "\n")) }
        var starts: [Int] = []
        var start = 0
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            starts.append(start)
            start = offset + 1
        }
        self.bytes = bytes
        lineStarts = starts
    }

    var lineCount: Int { lineStarts.count }

    /// The bytes of line `index` without its newline.
    func content(ofLine index: Int) -> ArraySlice<UInt8> {
        let end = index + 1 < lineStarts.count ? lineStarts[index + 1] - 1 : bytes.count - 1
        return bytes[lineStarts[index]..<end]
    }

    /// Whether line `index` is the last one and had no newline: it then equals only another such line.
    func isIncomplete(line index: Int) -> Bool {
        missingNewline && index == lineStarts.count - 1
    }

    /// The number of lines that start before byte `offset`, an offset at a line start or at the end.
    func lineIndex(atOffset offset: Int) -> Int {
        var low = 0
        var high = lineStarts.count
        while low < high {
            let middle = (low + high) / 2
            if lineStarts[middle] < offset { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
