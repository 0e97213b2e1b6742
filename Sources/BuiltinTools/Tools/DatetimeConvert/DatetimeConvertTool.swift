import Foundation
import ToolhostCore

/// The `datetime_convert` built-in: reads an instant (ISO 8601, RFC 2822, unix seconds or
/// milliseconds, `now`) and shows it in an IANA time zone in several forms.
public struct DatetimeConvertTool: BuiltinTool {
    public let name = "datetime_convert"

    public init() {}

    /// Converts one value.
    /// - Throws: ``ToolFailure`` `invalid_argument` naming `value`, `timezone`, `assumeTimezone` or
    ///   `format` when one cannot be read.
    public func run(_ input: JSONValue, in context: ToolContext) async throws(ToolFailure) -> JSONValue {
        let target = try DatetimeZone(input["timezone"]?.stringValue ?? "UTC", field: "timezone")
        let assumed = try DatetimeZone(input["assumeTimezone"]?.stringValue ?? "UTC", field: "assumeTimezone")
        let instant = try Self.instant(of: input["value"] ?? .null, format: input["inputFormat"]?.stringValue ?? "auto", assuming: assumed)
        let formatter = input["format"]?.stringValue.map(StrftimeFormatter.init(format:))
        return try DatetimeRendering(instant: instant, zone: target).output(formatter: formatter)
    }

    /// The instant of `value` in milliseconds since the epoch.
    static func instant(of value: JSONValue, format: String, assuming zone: DatetimeZone) throws(ToolFailure) -> Int {
        if value.isNumber, ["auto", "unix", "unix_ms"].contains(format) {
            return try UnixTimestamp.milliseconds(of: value, unitMilliseconds: format == "unix_ms" ? 1 : 1000, field: "value")
        }
        guard let text = value.stringValue?.trimmingCharacters(in: .whitespaces) else {
            throw ToolFailure(.invalidArgument, "value: a number is a unix timestamp; inputFormat \(format) needs a string")
        }
        if text.lowercased() == "now" {
            return Int((Date().timeIntervalSince1970 * 1000).rounded(.down))
        }
        let numeric = UnixTimestamp.isNumeric(text)
        switch format {
        case "unix", "unix_ms":
            guard numeric else {
                throw ToolFailure(.invalidArgument, "value: \"\(text)\" is not a number, as inputFormat \(format) needs")
            }
            return try UnixTimestamp.milliseconds(of: text, unitMilliseconds: format == "unix_ms" ? 1 : 1000, field: "value")
        case "auto" where numeric:
            return try UnixTimestamp.milliseconds(of: text, unitMilliseconds: 1000, field: "value")
        case "iso8601":
            guard let parsed = try ISO8601Reader.read(text, field: "value") else {
                throw ToolFailure(.invalidArgument, "value: \"\(text)\" is not an ISO 8601 date-time such as 2024-03-10T08:30:00+01:00")
            }
            return try resolve(parsed, in: zone)
        case "rfc2822":
            guard let parsed = try RFC2822Reader.read(text, field: "value") else {
                throw ToolFailure(.invalidArgument, "value: \"\(text)\" is not an RFC 2822 date such as Tue, 15 Nov 1994 08:12:31 GMT")
            }
            return try resolve(parsed, in: zone)
        case "auto":
            var parsed = try ISO8601Reader.read(text, field: "value")
            if parsed == nil { parsed = try RFC2822Reader.read(text, field: "value") }
            guard let parsed else {
                throw ToolFailure(.invalidArgument,
                                  "value: \"\(text)\" is not an ISO 8601 or RFC 2822 date-time, a unix timestamp or now")
            }
            return try resolve(parsed, in: zone)
        default:
            throw ToolFailure(.invalidArgument, "inputFormat: unknown format \"\(format)\"")
        }
    }

    /// The instant of a parsed date-time: by its own offset, else as wall-clock time in `zone`.
    private static func resolve(_ parsed: ParsedDatetime, in zone: DatetimeZone) throws(ToolFailure) -> Int {
        let instant = parsed.offsetSeconds.map { parsed.local.millisecondsAsUTC - $0 * 1000 } ?? zone.instant(of: parsed.local)
        guard UnixTimestamp.range.contains(instant) else {
            throw ToolFailure(.invalidArgument, "value: the instant is outside the years 0001–9999 in UTC")
        }
        return instant
    }
}
