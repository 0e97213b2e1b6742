/// Reads RFC 2822 dates (`Tue, 15 Nov 1994 08:12:31 GMT`): optional weekday, day, English month
/// abbreviation, year (obsolete two- and three-digit years too), `HH:MM[:SS]`, and a zone that is
/// `±HHMM` or an obsolete name (UT, GMT, Z, EST/EDT, CST/CDT, MST/MDT, PST/PDT, military letters).
/// A trailing comment such as `(PST)` is ignored.
enum RFC2822Reader {
    static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    static let weekdayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    /// The obsolete zone names of RFC 2822 section 4.3, in hours east of UTC.
    static let zoneNames: [String: Int] = [
        "ut": 0, "gmt": 0, "z": 0, "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7,
    ]

    /// The date-time in `text`, or nil when it is not RFC 2822.
    /// - Throws: ``ToolFailure`` `invalid_argument` naming `field` for an impossible date or time
    ///   or a weekday that does not fit the date.
    static func read(_ text: String, field: String) throws(ToolFailure) -> ParsedDatetime? {
        var cursor = DatetimeText(text)
        cursor.skipSpaces()
        var weekday: Int?
        let word = cursor.letters()
        if !word.isEmpty {
            guard let index = weekdayNames.firstIndex(of: word.lowercased()), cursor.take(",") else { return nil }
            weekday = index + 1
            cursor.skipSpaces()
        }
        guard let (day, _) = cursor.digits(1...2), cursor.skipSpaces(),
              let month = monthNames.firstIndex(of: cursor.letters().lowercased()).map({ $0 + 1 }), cursor.skipSpaces(),
              let (writtenYear, yearDigits) = cursor.digits(2...9), cursor.skipSpaces(),
              let hour = cursor.digits(2), cursor.take(":"), let minute = cursor.digits(2)
        else { return nil }
        var second = 0
        if cursor.take(":") {
            guard let value = cursor.digits(2) else { return nil }
            second = value
        }
        // Obsolete years: two digits are 1950–2049, three digits count from 1900.
        let year = switch yearDigits {
        case 2: writtenYear < 50 ? 2000 + writtenYear : 1900 + writtenYear
        case 3: 1900 + writtenYear
        default: writtenYear
        }
        var offset: Int?
        if cursor.skipSpaces(), !cursor.atEnd, cursor.peek != UInt8(ascii: "(") {
            guard let zone = readZone(&cursor) else { return nil }
            offset = zone
            cursor.skipSpaces()
        }
        if cursor.take("(") {
            while let byte = cursor.peek, byte != UInt8(ascii: ")") { cursor.index += 1 }
            guard cursor.take(")") else { return nil }
            cursor.skipSpaces()
        }
        guard cursor.atEnd else { return nil }

        func impossible(_ what: String) -> ToolFailure {
            ToolFailure(.invalidArgument, "\(field): \"\(text)\" has \(what)")
        }
        guard (1...CivilTime.daysInMonth(year: year, month: month)).contains(day) else {
            throw impossible("no day \(day) in month \(month) of \(year)")
        }
        guard hour <= 23, minute <= 59, second <= 60 else { throw impossible("no time \(hour):\(minute):\(second)") }
        let local = LocalDateTime(year: year, month: month, day: day, hour: hour, minute: minute, second: min(second, 59))
        if let weekday {
            let actual = CivilTime.isoWeekday(days: CivilTime.days(year: year, month: month, day: day))
            guard actual == weekday else {
                let names = StrftimeFormatter.weekdayNames
                throw impossible("the weekday \(names[weekday - 1].prefix(3)), but that date is a \(names[actual - 1].prefix(3))")
            }
        }
        return ParsedDatetime(local: local, offsetSeconds: offset)
    }

    /// `±HHMM` or a zone name, as seconds east of UTC.
    private static func readZone(_ cursor: inout DatetimeText) -> Int? {
        let sign = cursor.take("+") ? 1 : (cursor.take("-") ? -1 : 0)
        if sign != 0 {
            guard let hours = cursor.digits(2), let minutes = cursor.digits(2), minutes <= 59 else { return nil }
            return sign * (hours * 3600 + minutes * 60)
        }
        let name = cursor.letters().lowercased()
        if let hours = zoneNames[name] { return hours * 3600 }
        // Military zones were defined with the wrong sign; RFC 2822 says to read them as -0000.
        if name.count == 1, name != "j" { return 0 }
        return nil
    }
}
