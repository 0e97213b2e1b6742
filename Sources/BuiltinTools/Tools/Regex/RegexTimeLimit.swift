import Dispatch

/// How long a regular expression engine may run, and the failure it reports when it may not run
/// any longer.
///
/// The regex tool's `timeoutMs` limits the engine itself, so only time spent inside ICU counts
/// against it (building a result of many matches does not). file_search limits its whole call, so
/// its limit is a fixed moment. The failure is chosen by the caller, who knows which limit it is.
struct RegexTimeLimit {
    /// What to throw when the limit is reached.
    let failure: ToolFailure
    /// Engine time left, for a limit on engine time.
    private var remainingNanoseconds: UInt64
    /// `DispatchTime.uptimeNanoseconds` to stop at, for a limit on wall-clock time.
    private let end: UInt64?

    /// A limit of `milliseconds` of time spent inside the engine.
    static func engineTime(milliseconds: Int, failure: ToolFailure) -> RegexTimeLimit {
        RegexTimeLimit(failure: failure, remainingNanoseconds: Self.nanoseconds(milliseconds), end: nil)
    }

    /// A limit at `milliseconds` from now, whatever runs meanwhile.
    static func wallClock(milliseconds: Int, failure: ToolFailure) -> RegexTimeLimit {
        RegexTimeLimit(failure: failure, remainingNanoseconds: 0, end: DispatchTime.now().uptimeNanoseconds + Self.nanoseconds(milliseconds))
    }

    /// The uptime at which an engine call that starts at `start` must stop.
    func stop(forCallStartingAt start: UInt64) -> UInt64 {
        end ?? start + remainingNanoseconds
    }

    /// Records an engine call that ran from `start` to `finish`.
    mutating func charge(from start: UInt64, to finish: UInt64) {
        guard end == nil else { return }
        remainingNanoseconds -= min(remainingNanoseconds, finish &- start)
    }

    /// Throws ``failure`` when no time is left; for work between engine calls.
    func check() throws(ToolFailure) {
        let exhausted = end.map { DispatchTime.now().uptimeNanoseconds >= $0 } ?? (remainingNanoseconds == 0)
        if exhausted { throw failure }
    }

    private static func nanoseconds(_ milliseconds: Int) -> UInt64 {
        UInt64(max(milliseconds, 0)) * 1_000_000
    }
}
