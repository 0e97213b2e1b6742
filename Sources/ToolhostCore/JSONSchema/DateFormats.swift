/// RFC 3339 dates and times, and ISO 8601 durations (RFC 3339 appendix A), checked field by field.
enum DateFormats {
    /// "1963-06-19T08:30:06.283185Z": a full-date, "T" (either case), a full-time.
    static func isDateTime(_ string: String) -> Bool {
        let bytes = Array(string.utf8)
        guard bytes.count > 11, bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t") else { return false }
        return isDate(bytes[0..<10]) && isTime(bytes[11...])
    }

    /// "1963-06-19", with the day checked against the month and leap years.
    static func isDate(_ string: String) -> Bool {
        isDate(Array(string.utf8)[...])
    }

    /// "08:30:06Z" or "08:30:06.52+01:00"; a time offset is required, a leap second only at 23:59:60 UTC.
    static func isTime(_ string: String) -> Bool {
        isTime(Array(string.utf8)[...])
    }

    private static func isDate(_ bytes: ArraySlice<UInt8>) -> Bool {
        let bytes = Array(bytes)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let year = number(bytes, 0, 4), let month = number(bytes, 5, 2), let day = number(bytes, 8, 2),
            (1...12).contains(month), day >= 1
        else { return false }
        let isLeap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lengths = [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[month - 1]
    }

    private static func isTime(_ bytes: ArraySlice<UInt8>) -> Bool {
        let bytes = Array(bytes)
        guard bytes.count >= 9, bytes[2] == UInt8(ascii: ":"), bytes[5] == UInt8(ascii: ":"),
            let hour = number(bytes, 0, 2), let minute = number(bytes, 3, 2), let second = number(bytes, 6, 2),
            hour <= 23, minute <= 59, second <= 60
        else { return false }
        var index = 8
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < bytes.count, bytes[index].isASCIIDigit { index += 1 }
            guard index > start else { return false }
        }
        guard index < bytes.count else { return false }
        var offsetMinutes = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == bytes.count else { return false }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard bytes.count == index + 6, bytes[index + 3] == UInt8(ascii: ":"),
                let offsetHour = number(bytes, index + 1, 2), let offsetMinute = number(bytes, index + 4, 2),
                offsetHour <= 23, offsetMinute <= 59
            else { return false }
            offsetMinutes = (offsetHour * 60 + offsetMinute) * (bytes[index] == UInt8(ascii: "+") ? 1 : -1)
        default:
            return false
        }
        if second == 60 {
            // A leap second is inserted at the end of a UTC day only.
            let utcMinutes = ((hour * 60 + minute - offsetMinutes) % 1440 + 1440) % 1440
            return utcMinutes == 23 * 60 + 59
        }
        return true
    }

    /// "P3Y6M4DT12H30M5S", "P4W", "PT0.5S" is not allowed (RFC 3339 durations have integer fields only).
    static func isDuration(_ string: String) -> Bool {
        let bytes = Array(string.utf8)
        guard bytes.first == UInt8(ascii: "P"), bytes.count > 1 else { return false }
        var datePart = bytes[1...]
        var timePart: ArraySlice<UInt8>?
        if let t = datePart.firstIndex(of: UInt8(ascii: "T")) {
            timePart = datePart[(t + 1)...]
            datePart = datePart[..<t]
            guard !timePart!.isEmpty else { return false }
        }
        if timePart == nil, let designators = designators(datePart), designators == [UInt8(ascii: "W")] { return true }
        guard let dateDesignators = designators(datePart), isContiguousRun(dateDesignators, in: Array("YMD".utf8)) else { return false }
        if let timePart {
            guard let timeDesignators = designators(timePart), !timeDesignators.isEmpty,
                isContiguousRun(timeDesignators, in: Array("HMS".utf8))
            else { return false }
        }
        return true
    }

    /// The designator letters of "3Y6M", each preceded by at least one digit; nil when malformed.
    private static func designators(_ bytes: ArraySlice<UInt8>) -> [UInt8]? {
        var result: [UInt8] = []
        var digits = 0
        for byte in bytes {
            if byte.isASCIIDigit {
                digits += 1
            } else {
                guard digits > 0, byte.isASCIILetter else { return nil }
                result.append(byte)
                digits = 0
            }
        }
        return digits == 0 ? result : nil
    }

    /// Whether `designators` is a run of consecutive letters of `order` ("YM", "MD" but not "YD" or "DM").
    private static func isContiguousRun(_ designators: [UInt8], in order: [UInt8]) -> Bool {
        guard let first = designators.first, let start = order.firstIndex(of: first) else { return designators.isEmpty }
        guard start + designators.count <= order.count else { return false }
        return Array(order[start..<(start + designators.count)]) == designators
    }

    /// The decimal number in `count` ASCII digits at `offset`; nil unless all are digits.
    private static func number(_ bytes: [UInt8], _ offset: Int, _ count: Int) -> Int? {
        guard offset + count <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[offset..<(offset + count)] {
            guard byte.isASCIIDigit else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }
}
