import BuiltinTools
import Foundation
import Testing
import ToolhostCore

@Suite("The datetime_convert tool")
struct DatetimeConvertTests {
    @Test("every manifest example holds")
    func examples() async throws {
        let failures = try await ExampleHarness().failures(of: "datetime_convert")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    private func convert(_ input: JSONValue) async throws(ToolFailure) -> JSONValue {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("toolhost-dt-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        return try await DatetimeConvertTool().run(input, in: ToolContext(workspace: try Workspace(root: root)))
    }

    private func failure(of input: JSONValue) async -> ToolFailure? {
        do {
            _ = try await convert(input)
            return nil
        } catch {
            return error
        }
    }

    @Test("a local time skipped by spring-forward moves forward by the gap")
    func dstGap() async throws {
        let output = try await convert(["value": "2024-03-10 02:30", "assumeTimezone": "America/New_York", "timezone": "America/New_York"])
        #expect(output["iso"] == "2024-03-10T03:30:00-04:00")
        #expect(output["utc"] == "2024-03-10T07:30:00Z")
        let berlin = try await convert(["value": "2024-03-31T02:15:00", "assumeTimezone": "Europe/Berlin", "timezone": "Europe/Berlin"])
        #expect(berlin["iso"] == "2024-03-31T03:15:00+02:00")
    }

    @Test("a local time repeated by fall-back takes the earlier instant")
    func dstAmbiguity() async throws {
        let output = try await convert(["value": "2024-11-03T01:30:00", "assumeTimezone": "America/New_York", "timezone": "America/New_York"])
        #expect(output["utc"] == "2024-11-03T05:30:00Z")
        #expect(output["isDst"] == true)
        #expect(output["offset"] == "-04:00")
        let later = try await convert(["value": "2024-11-03T06:30:00Z", "timezone": "America/New_York"])
        #expect(later["iso"] == "2024-11-03T01:30:00-05:00")
        #expect(later["isDst"] == false)
    }

    @Test("ISO 8601 variants: offsets ±HH:MM, ±HHMM, ±HH, basic form, fractions truncated to milliseconds, 24:00")
    func isoVariants() async throws {
        let cases: [(String, String)] = [
            ("2024-03-10T08:30:00+01:00", "2024-03-10T07:30:00Z"),
            ("2024-03-10t08:30:00+0130", "2024-03-10T07:00:00Z"),
            ("2024-03-10T08:30-05", "2024-03-10T13:30:00Z"),
            ("20240310T083000Z", "2024-03-10T08:30:00Z"),
            ("2024-03-10T08:30:00.123456789Z", "2024-03-10T08:30:00.123Z"),
            ("2024-03-10T08:30:00,5Z", "2024-03-10T08:30:00.500Z"),
            ("2024-03-10", "2024-03-10T00:00:00Z"),
            ("2024-12-31T24:00:00Z", "2025-01-01T00:00:00Z"),
            ("2016-12-31T23:59:60Z", "2016-12-31T23:59:59Z"),
        ]
        for (value, utc) in cases {
            #expect(try await convert(["value": .string(value)])["utc"] == .string(utc), "\(value)")
        }
    }

    @Test("RFC 2822 with obsolete zone names, two-digit years, no weekday and a trailing comment")
    func rfc2822Variants() async throws {
        let cases: [(String, String)] = [
            ("Tue, 15 Nov 1994 08:12:31 EST", "1994-11-15T13:12:31Z"),
            ("15 Nov 94 08:12 PDT", "1994-11-15T15:12:00Z"),
            ("Sat, 1 Jan 2000 00:00:00 +0530 (IST)", "1999-12-31T18:30:00Z"),
            ("Mon, 3 Jun 2024 10:00:00 UT", "2024-06-03T10:00:00Z"),
            ("Mon, 3 Jun 2024 10:00:00 CDT", "2024-06-03T15:00:00Z"),
        ]
        for (value, utc) in cases {
            #expect(try await convert(["value": .string(value)])["utc"] == .string(utc), "\(value)")
            #expect(try await convert(["value": .string(value), "inputFormat": "rfc2822"])["utc"] == .string(utc), "\(value)")
        }
        let failure = await failure(of: ["value": "Mon, 15 Nov 1994 08:12:31 GMT"])
        #expect(failure?.kind == .invalidArgument)
        #expect(failure?.message.contains("Tue") == true, "\(failure?.message ?? "")")
    }

    @Test("unix seconds and milliseconds, as numbers or numeric strings, with fractions rounded down")
    func unixTimestamps() async throws {
        let seconds = try await convert(["value": "1700000000.9999"])
        #expect(seconds["unixMs"] == 1_700_000_000_999)
        #expect(seconds["utc"] == "2023-11-14T22:13:20.999Z")
        let milliseconds = try await convert(["value": 1_700_000_000_123, "inputFormat": "unix_ms"])
        #expect(milliseconds["unix"] == 1_700_000_000)
        #expect(milliseconds["components"]?["millisecond"] == 123)
        let negative = try await convert(["value": -1.5])
        #expect(negative["unix"] == -2)
        #expect(negative["unixMs"] == -1500)
        #expect(negative["utc"] == "1969-12-31T23:59:58.500Z")
        let numericString = try await convert(["value": "-1.0001", "inputFormat": "unix"])
        #expect(numericString["unixMs"] == -1001)
    }

    @Test("now is the current instant")
    func now() async throws {
        let before = Int(Date().timeIntervalSince1970 * 1000)
        let output = try await convert(["value": "now"])
        let after = Int(Date().timeIntervalSince1970 * 1000)
        let instant = try #require(output["unixMs"]?.intValue)
        #expect(before - 1 <= instant && instant <= after)
    }

    @Test("ISO week and day of year around New Year, in the proleptic Gregorian calendar")
    func calendarFields() async throws {
        let cases: [(String, Int, Int, Int)] = [
            ("2021-01-03", 53, 2020, 3), ("2020-12-31", 53, 2020, 366), ("2024-12-30", 1, 2025, 365), ("2026-01-01", 1, 2026, 1),
        ]
        for (date, week, weekYear, dayOfYear) in cases {
            let components = try await convert(["value": .string(date)])["components"]
            #expect(components?["isoWeek"] == .int(week), "\(date)")
            #expect(components?["isoWeekYear"] == .int(weekYear), "\(date)")
            #expect(components?["dayOfYear"] == .int(dayOfYear), "\(date)")
        }
        // 1582-10-05 does not exist in the Julian/Gregorian hybrid, but does here; it was a Tuesday.
        let old = try await convert(["value": "1582-10-05T12:00:00Z"])
        #expect(old["components"]?["weekdayName"] == "Tuesday")
        #expect(old["rfc2822"] == "Tue, 05 Oct 1582 12:00:00 +0000")
    }

    @Test("every strftime directive, and an unknown one is an error naming format")
    func format() async throws {
        let output = try await convert([
            "value": "2024-03-05T15:04:09Z", "timezone": "America/New_York",
            "format": "%Y %y %m %d [%e] %j %H %I %p %M %S %a %A %b %B %u %V %G %z %F %T %%",
        ])
        #expect(output["formatted"] == "2024 24 03 05 [ 5] 065 10 10 AM 04 09 Tue Tuesday Mar March 2 10 2024 -0500 2024-03-05 10:04:09 %")
        let afternoon = try await convert(["value": "2024-03-05T00:30:00Z", "format": "%I %p"])
        #expect(afternoon["formatted"] == "12 AM")
        for format in ["%Q", "100%"] {
            let failure = await failure(of: ["value": "2024-01-01", "format": .string(format)])
            #expect(failure?.kind == .invalidArgument)
            #expect(failure?.message.hasPrefix("format: ") == true)
        }
    }

    @Test("an unknown time zone is an invalid argument naming the field")
    func unknownZones() async {
        for field in ["timezone", "assumeTimezone"] {
            let failure = await failure(of: ["value": "2024-01-01", field: "Mars/Olympus_Mons"])
            #expect(failure?.kind == .invalidArgument)
            #expect(failure?.message.hasPrefix("\(field): unknown time zone") == true, "\(failure?.message ?? "")")
        }
    }

    @Test("unreadable or impossible values are invalid arguments naming value")
    func badValues() async {
        let cases: [JSONValue] = [
            ["value": "yesterday"], ["value": "2024-13-01"], ["value": "2023-02-29"], ["value": "2024-01-01T25:00"],
            ["value": "2024-01-01T10:00+24:00"], ["value": "2024-01-01", "inputFormat": "rfc2822"],
            ["value": "Tue, 15 Nov 1994", "inputFormat": "iso8601"], ["value": "abc", "inputFormat": "unix"],
            ["value": 1e300], ["value": 12, "inputFormat": "iso8601"],
        ]
        for input in cases {
            let failure = await failure(of: input)
            #expect(failure?.kind == .invalidArgument, "\(input)")
            #expect(failure?.message.hasPrefix("value: ") == true, "\(input): \(failure?.message ?? "")")
        }
    }

    @Test("historical offsets come from the tz database: Kolkata +05:30 in 1980, Berlin +03:00 (double summer time) in June 1945")
    func historicalOffsets() async throws {
        let kolkata = try await convert(["value": "1980-06-01T00:00:00Z", "timezone": "Asia/Kolkata"])
        #expect(kolkata["offset"] == "+05:30")
        let berlin = try await convert(["value": "1945-06-01T00:00:00Z", "timezone": "Europe/Berlin"])
        #expect(berlin["offset"] == "+03:00")
    }
}
