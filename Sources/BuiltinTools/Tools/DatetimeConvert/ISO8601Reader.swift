/// Reads ISO 8601 / RFC 3339 date-times: `2024-03-10`, `2024-03-10T08:30`, `2024-03-10 08:30:00.250`,
/// `2024-03-10T08:30:00Z`, offsets `±HH:MM`, `±HHMM`, `±HH`; the basic forms `20240310T083000Z`
/// too. A fraction may be written with `.` or `,`; digits past milliseconds are truncated.
enum ISO8601Reader {
    /// The date-time in `text`, or nil when it is not ISO 8601.
    /// - Throws: ``ToolFailure`` `invalid_argument` naming `field` when it has the form but an
    ///   impossible value (month 13, 31 April, hour 25, offset +25:00).
    static func read(_ text: String, field: String) throws(ToolFailure) -> ParsedDatetime? {
        var cursor = DatetimeText(text)
        guard let year = cursor.digits(4) else { return nil }
        let extended = cursor.take("-")
        guard let month = cursor.digits(2), !extended || cursor.take("-"), let day = cursor.digits(2) else { return nil }
        var local = LocalDateTime(year: year, month: month, day: day)
        var offset: (seconds: Int, hours: Int, minutes: Int)?
        if !cursor.atEnd {
            guard cursor.take("T") || cursor.take(" ") else { return nil }
            guard let hour = cursor.digits(2), !extended || cursor.take(":"), let minute = cursor.digits(2) else { return nil }
            (local.hour, local.minute) = (hour, minute)
            let hasSeconds = extended ? cursor.take(":") : cursor.peek.map { (0x30...0x39).contains($0) } == true
            if hasSeconds {
                guard let second = cursor.digits(2) else { return nil }
                local.second = second
                if cursor.take(".") || cursor.take(",") {
                    let start = cursor.index
                    guard cursor.digits(1...64) != nil else { return nil }
                    let digits = cursor.bytes[start..<cursor.index].prefix(3).map { Int($0 - 0x30) }
                    local.millisecond = (digits + Array(repeating: 0, count: 3 - digits.count)).reduce(0) { $0 * 10 + $1 }
                }
            }
            if !cursor.atEnd {
                guard let parsed = readOffset(&cursor) else { return nil }
                offset = parsed
            }
        }
        guard cursor.atEnd else { return nil }

        func impossible(_ what: String) -> ToolFailure {
            ToolFailure(.invalidArgument, "\(field): \"\(text)\" has \(what)")
        }
        guard (1...12).contains(local.month) else { throw impossible("no month \(local.month)") }
        guard (1...CivilTime.daysInMonth(year: local.year, month: local.month)).contains(local.day) else {
            throw impossible("no day \(local.day) in month \(local.month) of \(local.year)")
        }
        if let offset, offset.hours > 23 || offset.minutes > 59 { throw impossible("an offset beyond ±23:59") }
        if local.hour == 24, local.minute == 0, local.second == 0, local.millisecond == 0 {
            // 24:00 ends the day: the next day's 00:00.
            local = LocalDateTime(millisecondsAsUTC: local.millisecondsAsUTC)
        } else {
            guard local.hour <= 23 else { throw impossible("no hour \(local.hour)") }
            guard local.minute <= 59 else { throw impossible("no minute \(local.minute)") }
            // RFC 3339 allows a leap second (:60); it is kept as :59, as leap seconds are not represented.
            guard local.second <= 60 else { throw impossible("no second \(local.second)") }
            local.second = min(local.second, 59)
        }
        return ParsedDatetime(local: local, offsetSeconds: offset?.seconds)
    }

    /// `Z`, `±HH:MM`, `±HHMM` or `±HH`: seconds east of UTC, and the fields as written.
    private static func readOffset(_ cursor: inout DatetimeText) -> (seconds: Int, hours: Int, minutes: Int)? {
        if cursor.take("Z") { return (0, 0, 0) }
        let sign: Int
        if cursor.take("+") {
            sign = 1
        } else if cursor.take("-") {
            sign = -1
        } else {
            return nil
        }
        guard let hours = cursor.digits(2) else { return nil }
        var minutes = 0
        if !cursor.atEnd {
            _ = cursor.take(":")
            guard let value = cursor.digits(2) else { return nil }
            minutes = value
        }
        return (sign * (hours * 3600 + minutes * 60), hours, minutes)
    }
}
