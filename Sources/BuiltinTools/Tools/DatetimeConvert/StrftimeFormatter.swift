/// The strftime subset of datetime_convert's `format`, in the C/POSIX locale.
struct StrftimeFormatter {
    static let weekdayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
    ]

    /// The fields a format can refer to.
    struct Fields {
        var local: LocalDateTime
        var weekday: Int
        var dayOfYear: Int
        var isoWeek: Int
        var isoWeekYear: Int
        var offsetSeconds: Int
    }

    let format: String

    /// Formats `fields`.
    /// - Throws: ``ToolFailure`` `invalid_argument` naming `format` and the unknown directive.
    func string(for fields: Fields) throws(ToolFailure) -> String {
        var output = ""
        var iterator = format.makeIterator()
        while let character = iterator.next() {
            guard character == "%" else {
                output.append(character)
                continue
            }
            guard let directive = iterator.next() else {
                throw ToolFailure(.invalidArgument, "format: a lone % ends the format; write %% for a percent sign")
            }
            output += try expand(directive, fields)
        }
        return output
    }

    private func expand(_ directive: Character, _ fields: Fields) throws(ToolFailure) -> String {
        let local = fields.local
        return switch directive {
        case "Y": Self.pad(local.year, 4)
        case "y": Self.pad(CivilTime.floorModulo(local.year, 100), 2)
        case "m": Self.pad(local.month, 2)
        case "d": Self.pad(local.day, 2)
        case "e": (local.day < 10 ? " " : "") + String(local.day)
        case "j": Self.pad(fields.dayOfYear, 3)
        case "H": Self.pad(local.hour, 2)
        case "I": Self.pad((local.hour + 11) % 12 + 1, 2)
        case "p": local.hour < 12 ? "AM" : "PM"
        case "M": Self.pad(local.minute, 2)
        case "S": Self.pad(local.second, 2)
        case "a": String(Self.weekdayNames[fields.weekday - 1].prefix(3))
        case "A": Self.weekdayNames[fields.weekday - 1]
        case "b": String(Self.monthNames[local.month - 1].prefix(3))
        case "B": Self.monthNames[local.month - 1]
        case "u": String(fields.weekday)
        case "V": Self.pad(fields.isoWeek, 2)
        case "G": Self.pad(fields.isoWeekYear, 4)
        case "z": Self.offset(fields.offsetSeconds, separator: "")
        case "F": Self.pad(local.year, 4) + "-" + Self.pad(local.month, 2) + "-" + Self.pad(local.day, 2)
        case "T": Self.pad(local.hour, 2) + ":" + Self.pad(local.minute, 2) + ":" + Self.pad(local.second, 2)
        case "%": "%"
        default:
            throw ToolFailure(.invalidArgument, "format: unsupported directive %\(directive); "
                + "the directives are %Y %y %m %d %e %j %H %I %p %M %S %a %A %b %B %u %V %G %z %F %T %%")
        }
    }

    /// A number zero-padded to `width` digits (a sign first for negative numbers).
    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value.magnitude)
        return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// `±HH:MM` (or `±HHMM` without a separator); seconds of historical offsets are dropped.
    static func offset(_ seconds: Int, separator: String) -> String {
        let minutes = seconds.magnitude / 60
        return (seconds < 0 ? "-" : "+") + pad(Int(minutes / 60), 2) + separator + pad(Int(minutes % 60), 2)
    }
}
