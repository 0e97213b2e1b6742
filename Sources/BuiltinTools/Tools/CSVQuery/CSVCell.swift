import ToolhostCore

/// One cell: its text as written and its typed value (a number, null for an empty cell, or the
/// text), by the tool's `inferTypes` rules.
struct CSVCell {
    var text: String
    var value: JSONValue

    /// Types `text`: with `inferTypes`, JSON number syntax becomes a number and an empty cell
    /// null; otherwise the text as a string.
    init(_ text: String, inferTypes: Bool) {
        self.text = text
        guard inferTypes else {
            value = .string(text)
            return
        }
        if text.isEmpty {
            value = .null
        } else if Self.isJSONNumber(text.utf8) {
            if let integer = Int(text) {
                value = .int(integer)
            } else if let double = Double(text), double.isFinite {
                value = .double(double)
            } else {
                value = .string(text)  // beyond a double's range: keep the digits rather than invent infinity
            }
        } else {
            value = .string(text)
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, JSON's number grammar, so that `007`,
    /// `+1`, `.5`, `1.` and ` 1` stay text.
    static func isJSONNumber(_ bytes: String.UTF8View) -> Bool {
        // Most text cells fail at the first byte; they need not walk the grammar.
        guard let first = bytes.first, first == UInt8(ascii: "-") || (0x30...0x39).contains(first) else { return false }
        var index = bytes.startIndex
        func digits() -> Int {
            var count = 0
            while index < bytes.endIndex, (0x30...0x39).contains(bytes[index]) {
                count += 1
                bytes.formIndex(after: &index)
            }
            return count
        }
        func take(_ byte: UInt8) -> Bool {
            guard index < bytes.endIndex, bytes[index] == byte else { return false }
            bytes.formIndex(after: &index)
            return true
        }
        _ = take(UInt8(ascii: "-"))
        if take(UInt8(ascii: "0")) {
            // A leading zero stands alone.
        } else if digits() == 0 {
            return false
        }
        if take(UInt8(ascii: ".")), digits() == 0 { return false }
        if take(UInt8(ascii: "e")) || take(UInt8(ascii: "E")) {
            if !take(UInt8(ascii: "+")) { _ = take(UInt8(ascii: "-")) }
            if digits() == 0 { return false }
        }
        return index == bytes.endIndex
    }
}
