/// Calendar arithmetic on the proleptic Gregorian calendar (no Julian cut-over, unlike
/// Foundation's `.gregorian` calendar), after Howard Hinnant's `days_from_civil` algorithms.
enum CivilTime {
    static let millisecondsPerDay = 86_400_000

    /// Days since 1970-01-01 of a date.
    static func days(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = floorDivide(shiftedYear, 400)
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date of a day number (days since 1970-01-01).
    static func date(days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = floorDivide(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// ISO weekday of a day number: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday).
    static func isoWeekday(days: Int) -> Int {
        floorModulo(days + 3, 7) + 1
    }

    /// The ISO 8601 week and its year: the week that holds the day's Thursday.
    static func isoWeek(days: Int) -> (week: Int, year: Int) {
        let thursday = days - isoWeekday(days: days) + 4
        let year = date(days: thursday).year
        return ((thursday - self.days(year: year, month: 1, day: 1)) / 7 + 1, year)
    }

    static func floorDivide(_ value: Int, _ divisor: Int) -> Int {
        let quotient = value / divisor
        return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    static func floorModulo(_ value: Int, _ divisor: Int) -> Int {
        value - floorDivide(value, divisor) * divisor
    }
}

/// A wall-clock date and time, without a zone.
struct LocalDateTime: Equatable {
    var year: Int
    var month: Int
    var day: Int
    var hour = 0
    var minute = 0
    var second = 0
    var millisecond = 0

    /// Milliseconds since 1970-01-01T00:00:00 on the same wall clock (as if it were UTC).
    var millisecondsAsUTC: Int {
        CivilTime.days(year: year, month: month, day: day) * CivilTime.millisecondsPerDay
            + ((hour * 60 + minute) * 60 + second) * 1000 + millisecond
    }

    init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, millisecond: Int = 0) {
        (self.year, self.month, self.day) = (year, month, day)
        (self.hour, self.minute, self.second, self.millisecond) = (hour, minute, second, millisecond)
    }

    /// The wall clock `milliseconds` after 1970-01-01T00:00:00.
    init(millisecondsAsUTC milliseconds: Int) {
        let days = CivilTime.floorDivide(milliseconds, CivilTime.millisecondsPerDay)
        var rest = milliseconds - days * CivilTime.millisecondsPerDay
        (year, month, day) = CivilTime.date(days: days)
        hour = rest / 3_600_000
        rest %= 3_600_000
        minute = rest / 60000
        rest %= 60000
        second = rest / 1000
        millisecond = rest % 1000
    }
}
