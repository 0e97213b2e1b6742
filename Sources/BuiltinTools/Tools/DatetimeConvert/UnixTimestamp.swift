import ToolhostCore

/// Unix timestamps in seconds or milliseconds, as JSON numbers or numeric strings, converted to
/// whole milliseconds rounded down (so that `unix` is the floor of the instant).
enum UnixTimestamp {
    /// Instants from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z: the years ISO 8601 writes
    /// with four digits.
    static let range = -62_135_596_800_000...253_402_300_799_999

    /// Whether `text` is a decimal number: optional sign, digits, optional fraction.
    static func isNumeric(_ text: String) -> Bool {
        var bytes = text.utf8[...]
        if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        let parts = bytes.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        let isDigits = { (part: Substring.UTF8View.SubSequence) in !part.isEmpty && part.allSatisfy { (0x30...0x39).contains($0) } }
        return isDigits(parts[0]) && (parts.count == 1 || isDigits(parts[1]))
    }

    /// Milliseconds of a numeric string counting `unitMilliseconds` per unit (1000 for seconds),
    /// exactly: `"1700000000.1239"` seconds is 1700000000123 ms.
    /// - Throws: ``ToolFailure`` `invalid_argument` naming `field` outside ``range``.
    static func milliseconds(of text: String, unitMilliseconds: Int, field: String) throws(ToolFailure) -> Int {
        let negative = text.hasPrefix("-")
        let unsigned = text.drop { $0 == "-" || $0 == "+" }
        let parts = unsigned.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let scaleDigits = unitMilliseconds == 1000 ? 3 : 0
        let fraction = parts.count > 1 ? parts[1] : ""
        let kept = fraction.prefix(scaleDigits) + String(repeating: "0", count: scaleDigits - min(scaleDigits, fraction.count))
        let dropped = fraction.dropFirst(scaleDigits)
        guard parts[0].count <= 16, let whole = Int(parts[0] + kept) else { throw outOfRange(text, field: field) }
        var value = negative ? -whole : whole
        // Rounding down: a negative instant with dropped non-zero digits lies below `value`.
        if negative, dropped.contains(where: { $0 != "0" }) { value -= 1 }
        guard range.contains(value) else { throw outOfRange(text, field: field) }
        return value
    }

    /// Milliseconds of a JSON number counting `unitMilliseconds` per unit.
    static func milliseconds(of number: JSONValue, unitMilliseconds: Int, field: String) throws(ToolFailure) -> Int {
        if case .int(let integer) = number {
            let (value, overflow) = integer.multipliedReportingOverflow(by: unitMilliseconds)
            guard !overflow, range.contains(value) else { throw outOfRange("\(integer)", field: field) }
            return value
        }
        let scaled = (number.doubleValue ?? .nan) * Double(unitMilliseconds)
        guard scaled.isFinite, Double(range.lowerBound) <= scaled, scaled < Double(range.upperBound) + 1 else {
            throw outOfRange("\(number)", field: field)
        }
        return Int(scaled.rounded(.down))
    }

    private static func outOfRange(_ text: String, field: String) -> ToolFailure {
        ToolFailure(.invalidArgument, "\(field): the timestamp \(text) is outside the years 0001–9999")
    }
}
