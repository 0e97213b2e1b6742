/// UTF-8 checks for a byte range taken out of a longer file.
enum UTF8Range {
    /// The longest prefix of `bytes` that is valid UTF-8 once a character cut by the end of the range
    /// is left out; a cut is allowed only where the range, not the file, ends.
    /// - Throws: ``ToolFailure`` `invalid_argument` naming the byte offset of the first invalid byte,
    ///   or naming `length` when the range is too short to hold even its first character.
    static func completePrefix(of bytes: [UInt8], path: WorkspacePath, offset: Int, endsFile: Bool) throws(ToolFailure) -> [UInt8] {
        var end = bytes.count
        if !endsFile, let start = cutCharacterStart(bytes) {
            guard start > 0 else {
                throw ToolFailure(
                    .invalidArgument,
                    "length: \(bytes.count) bytes at offset \(offset) end inside the character that starts there; read more bytes")
            }
            end = start
        }
        let prefix = bytes[..<end]
        guard String(validating: prefix, as: UTF8.self) == nil else { return Array(prefix) }
        throw ToolFailure(
            .invalidArgument,
            "path: \"\(path)\" is not valid UTF-8 at byte \(offset + firstInvalidIndex(prefix)) (or the range starts inside a character); "
                + "read it with encoding \"base64\"")
    }

    /// Where a character begins that the end of `bytes` cuts short: a lead byte in the last three
    /// bytes followed only by continuation bytes, fewer than it announces.
    private static func cutCharacterStart(_ bytes: [UInt8]) -> Int? {
        var index = bytes.count - 1
        while index >= max(0, bytes.count - 3) {
            let byte = bytes[index]
            if byte & 0xC0 != 0x80 {
                let width = sequenceWidth(byte)
                return width > bytes.count - index ? index : nil
            }
            index -= 1
        }
        return nil
    }

    /// The index of the first byte that does not begin a valid character (the slow path, for the message).
    private static func firstInvalidIndex(_ bytes: ArraySlice<UInt8>) -> Int {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let width = sequenceWidth(bytes[index])
            guard width > 0, index + width <= bytes.endIndex,
                String(validating: bytes[index..<(index + width)], as: UTF8.self) != nil
            else { return index - bytes.startIndex }
            index += width
        }
        return bytes.count
    }

    /// The length of the sequence a lead byte starts, or 0 when it cannot start one.
    private static func sequenceWidth(_ lead: UInt8) -> Int {
        switch lead {
        case 0x00...0x7F: 1
        case 0xC2...0xDF: 2
        case 0xE0...0xEF: 3
        case 0xF0...0xF4: 4
        default: 0
        }
    }
}
