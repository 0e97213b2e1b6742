import Foundation

/// An IANA time zone from the tz database, through Foundation's `TimeZone`.
struct DatetimeZone {
    let identifier: String
    private let zone: TimeZone

    /// Looks up `identifier`.
    /// - Throws: ``ToolFailure`` `invalid_argument` naming `field` for an unknown zone.
    init(_ identifier: String, field: String) throws(ToolFailure) {
        guard let zone = TimeZone(identifier: identifier) else {
            throw ToolFailure(.invalidArgument,
                              "\(field): unknown time zone \"\(identifier)\"; use an IANA name such as Europe/Berlin, America/New_York or UTC")
        }
        self.identifier = identifier
        self.zone = zone
    }

    /// The UTC offset in seconds at an instant (milliseconds since the epoch).
    func offsetSeconds(at milliseconds: Int) -> Int {
        zone.secondsFromGMT(for: Self.date(milliseconds))
    }

    /// Whether daylight saving time is in effect at an instant.
    func isDaylightSavingTime(at milliseconds: Int) -> Bool {
        zone.isDaylightSavingTime(for: Self.date(milliseconds))
    }

    /// The instant of a wall-clock time in this zone. A time skipped by a change to a larger
    /// offset (spring forward) is read with the offset before the change, which moves it
    /// forward by the gap; a repeated time (fall back) takes the earlier instant.
    func instant(of local: LocalDateTime) -> Int {
        let wallClock = local.millisecondsAsUTC
        // Every offset that can apply near this wall-clock time: those a day either side cover
        // any single transition.
        let before = offsetSeconds(at: wallClock - CivilTime.millisecondsPerDay)
        let after = offsetSeconds(at: wallClock + CivilTime.millisecondsPerDay)
        let candidates = Set([before, after, offsetSeconds(at: wallClock)])
        let valid = candidates.map { wallClock - $0 * 1000 }.filter { offsetSeconds(at: $0) * 1000 == wallClock - $0 }
        if let earliest = valid.min() { return earliest }
        return wallClock - before * 1000
    }

    private static func date(_ milliseconds: Int) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}
