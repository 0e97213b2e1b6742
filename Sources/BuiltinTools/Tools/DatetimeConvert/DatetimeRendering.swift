import ToolhostCore

/// An instant shown in a time zone: the fields of datetime_convert's output.
struct DatetimeRendering {
    let instant: Int
    let zone: DatetimeZone

    /// The tool's output object; `formatted` only with a formatter.
    func output(formatter: StrftimeFormatter?) throws(ToolFailure) -> JSONValue {
        let offsetSeconds = zone.offsetSeconds(at: instant)
        let local = LocalDateTime(millisecondsAsUTC: instant + offsetSeconds * 1000)
        let utc = LocalDateTime(millisecondsAsUTC: instant)
        let days = CivilTime.days(year: local.year, month: local.month, day: local.day)
        let weekday = CivilTime.isoWeekday(days: days)
        let dayOfYear = days - CivilTime.days(year: local.year, month: 1, day: 1) + 1
        let (isoWeek, isoWeekYear) = CivilTime.isoWeek(days: days)
        let offset = StrftimeFormatter.offset(offsetSeconds, separator: ":")

        var result: [String: JSONValue] = [
            "iso": .string(Self.iso(local) + offset),
            "utc": .string(Self.iso(utc) + "Z"),
            "unix": .int(CivilTime.floorDivide(instant, 1000)),
            "unixMs": .int(instant),
            "rfc2822": .string(Self.rfc2822(local, weekday: weekday, offsetSeconds: offsetSeconds)),
            "timezone": .string(zone.identifier),
            "offset": .string(offset),
            "offsetSeconds": .int(offsetSeconds),
            "isDst": .bool(zone.isDaylightSavingTime(at: instant)),
            "components": [
                "year": .int(local.year), "month": .int(local.month), "day": .int(local.day),
                "hour": .int(local.hour), "minute": .int(local.minute), "second": .int(local.second),
                "millisecond": .int(local.millisecond), "weekday": .int(weekday),
                "weekdayName": .string(StrftimeFormatter.weekdayNames[weekday - 1]), "dayOfYear": .int(dayOfYear),
                "isoWeek": .int(isoWeek), "isoWeekYear": .int(isoWeekYear),
            ],
        ]
        if let formatter {
            let fields = StrftimeFormatter.Fields(local: local, weekday: weekday, dayOfYear: dayOfYear, isoWeek: isoWeek,
                                                  isoWeekYear: isoWeekYear, offsetSeconds: offsetSeconds)
            result["formatted"] = .string(try formatter.string(for: fields))
        }
        return .object(result)
    }

    /// `YYYY-MM-DDTHH:MM:SS`, with `.SSS` only when the milliseconds are not zero.
    static func iso(_ time: LocalDateTime) -> String {
        let pad = StrftimeFormatter.pad
        var text = "\(pad(time.year, 4))-\(pad(time.month, 2))-\(pad(time.day, 2))T\(pad(time.hour, 2)):\(pad(time.minute, 2)):\(pad(time.second, 2))"
        if time.millisecond != 0 { text += "." + pad(time.millisecond, 3) }
        return text
    }

    /// `Sun, 10 Mar 2024 03:30:00 -0400`.
    static func rfc2822(_ time: LocalDateTime, weekday: Int, offsetSeconds: Int) -> String {
        let pad = StrftimeFormatter.pad
        let weekdayName = StrftimeFormatter.weekdayNames[weekday - 1].prefix(3)
        let month = StrftimeFormatter.monthNames[time.month - 1].prefix(3)
        return "\(weekdayName), \(pad(time.day, 2)) \(month) \(pad(time.year, 4)) \(pad(time.hour, 2)):\(pad(time.minute, 2)):\(pad(time.second, 2)) "
            + StrftimeFormatter.offset(offsetSeconds, separator: "")
    }
}
