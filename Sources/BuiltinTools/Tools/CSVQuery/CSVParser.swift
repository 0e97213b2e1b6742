/// An RFC 4180 reader: fields separated by one delimiter character, records by CRLF, LF or CR;
/// a field in double quotes may hold the delimiter, line breaks and doubled quotes (`""`).
/// A UTF-8 byte order mark at the start is ignored, and empty lines are skipped.
///
/// It works on UTF-8 bytes: quotes, CR and LF are ASCII and never part of a multi-byte sequence,
/// and the delimiter is compared as its whole byte sequence, so no field is ever split inside a
/// character.
struct CSVParser {
    /// One record and the line it starts on (1-based), for error messages.
    struct Record {
        var fields: [String]
        var line: Int
    }

    private static let quote = UInt8(ascii: "\"")
    private static let carriageReturn = UInt8(ascii: "\r")
    private static let lineFeed = UInt8(ascii: "\n")

    /// The delimiter's UTF-8 bytes.
    let delimiter: [UInt8]
    /// The input field the text came from (`csv` or `path`), for error messages.
    let field: String

    /// Checks the delimiter: one code point, not a quote or a line break.
    /// - Throws: ``ToolFailure`` `invalid_argument` naming `delimiter`.
    init(delimiter: String, field: String) throws(ToolFailure) {
        guard delimiter.unicodeScalars.count == 1 else {
            throw ToolFailure(.invalidArgument, "delimiter: must be a single character, got \"\(delimiter)\"")
        }
        guard !["\"", "\n", "\r"].contains(delimiter) else {
            throw ToolFailure(.invalidArgument, "delimiter: a quote or a line break cannot separate fields")
        }
        self.delimiter = Array(delimiter.utf8)
        self.field = field
    }

    /// Reads every record of `text`.
    /// - Throws: ``ToolFailure`` `invalid_argument` naming the field and line for a quoted field
    ///   that is not closed or is followed by something other than a delimiter or line break.
    func records(of text: String) throws(ToolFailure) -> [Record] {
        var text = text
        // `withUTF8` rethrows untyped errors, so the typed failure travels out in a Result.
        let result = text.withUTF8 { bytes in Result { () throws(ToolFailure) in try records(of: bytes) } }
        return try result.get()
    }

    private func records(of bytes: UnsafeBufferPointer<UInt8>) throws(ToolFailure) -> [Record] {
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let end = bytes.count
        var records: [Record] = []
        var fields: [String] = []
        var line = 1
        var recordLine = 1
        // An empty line has no field at all; anything else (even `""` or a lone delimiter) is a record.
        var recordStarted = false

        func isDelimiter(at position: Int) -> Bool {
            guard position + delimiter.count <= end, bytes[position] == delimiter[0] else { return false }
            return delimiter.count == 1 || bytes[position..<(position + delimiter.count)].elementsEqual(delimiter)
        }

        while index < end {
            if !recordStarted, bytes[index] == Self.carriageReturn || bytes[index] == Self.lineFeed {
                index += bytes[index] == Self.carriageReturn && index + 1 < end && bytes[index + 1] == Self.lineFeed ? 2 : 1
                line += 1
                recordLine = line
                continue
            }
            recordStarted = true
            // One field, starting at `index`.
            if bytes[index] == Self.quote {
                let quoteLine = line
                var value: [UInt8] = []
                var position = index + 1
                var closed = false
                while position < end {
                    let byte = bytes[position]
                    if byte == Self.quote {
                        if position + 1 < end, bytes[position + 1] == Self.quote {
                            value.append(Self.quote)
                            position += 2
                            continue
                        }
                        closed = true
                        position += 1
                        break
                    }
                    if byte == Self.lineFeed || (byte == Self.carriageReturn && (position + 1 == end || bytes[position + 1] != Self.lineFeed)) {
                        line += 1
                    }
                    value.append(byte)
                    position += 1
                }
                guard closed else {
                    throw ToolFailure(.invalidArgument, "\(field): the quoted field that starts on line \(quoteLine) is never closed")
                }
                if position < end, !isDelimiter(at: position), bytes[position] != Self.carriageReturn, bytes[position] != Self.lineFeed {
                    throw ToolFailure(.invalidArgument,
                                      "\(field): line \(line): a closing quote must be followed by the delimiter or a line break")
                }
                fields.append(String(decoding: value, as: UTF8.self))
                index = position
            } else {
                var position = index
                while position < end, bytes[position] != Self.carriageReturn, bytes[position] != Self.lineFeed, !isDelimiter(at: position) {
                    position += 1
                }
                fields.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<position]), as: UTF8.self))
                index = position
            }
            // After a field: a delimiter (another field follows, perhaps empty), a line break or the end.
            if index < end, isDelimiter(at: index) {
                index += delimiter.count
                if index == end { fields.append("") }  // the empty last field of "a,"; elsewhere the loop reads it
                continue
            }
            records.append(Record(fields: fields, line: recordLine))
            fields = []
            recordStarted = false
        }
        if recordStarted { records.append(Record(fields: fields, line: recordLine)) }
        return records
    }
}
