import Dispatch
internal import _FoundationICU

/// A compiled regular expression (ICU syntax and semantics, matching on code points) that stops
/// at a time limit instead of backtracking forever. Shared by the regex and file_search tools.
///
/// ICU calls back into the engine every few thousand matching steps and while it scans for a
/// start position; the callbacks return false once the deadline has passed, which ends the
/// search with `U_REGEX_STOPPED_BY_CALLER`. One engine serves one call on one task.
final class RegexEngine {
    /// Matching options, the tools' `i`, `m`, `s` and `x` flags.
    struct Options: OptionSet {
        let rawValue: UInt32
        static let ignoreCase = Options(rawValue: UREGEX_CASE_INSENSITIVE.rawValue)
        static let multiline = Options(rawValue: UREGEX_MULTILINE.rawValue)
        static let dotMatchesLineBreaks = Options(rawValue: UREGEX_DOTALL.rawValue)
        static let extended = Options(rawValue: UREGEX_COMMENTS.rawValue)

        /// Parses a flag string such as `"im"`.
        /// - Throws: ``ToolFailure`` `invalid_argument` naming `field` for an unknown or repeated flag.
        init(flags: String, field: String) throws(ToolFailure) {
            var options: Options = []
            for flag in flags {
                let option: Options = switch flag {
                case "i": .ignoreCase
                case "m": .multiline
                case "s": .dotMatchesLineBreaks
                case "x": .extended
                default: throw ToolFailure(.invalidArgument, "\(field): unknown flag \"\(flag)\"; the flags are i, m, s and x")
                }
                guard !options.contains(option) else {
                    throw ToolFailure(.invalidArgument, "\(field): the flag \"\(flag)\" is given twice")
                }
                options.insert(option)
            }
            self = options
        }

        init(rawValue: UInt32) { self.rawValue = rawValue }
    }

    /// The ranges of one match in UTF-16 offsets: index 0 is the whole match, 1…n the groups
    /// (nil for a group that did not take part).
    typealias Match = [Range<Int>?]

    private let regex: OpaquePointer
    /// The uptime at which the current engine call must stop, where the callbacks read it; a
    /// stable address for ICU's `context` pointer.
    private let deadlineNanoseconds: UnsafeMutablePointer<UInt64>
    private var text: RegexText?

    /// ICU's backtracking stack may grow to this many bytes (its default is 8 MB, which patterns
    /// such as `a*a*b` exhaust on a megabyte of text); the tools' memory limits leave room for it.
    static let backtrackingStackBytes = 64 << 20

    /// Number of capture groups.
    let groupCount: Int
    /// Names of the named groups, by group number.
    let groupNames: [Int: String]

    /// Compiles `pattern`.
    /// - Throws: ``ToolFailure`` `invalid_argument` naming `field`, ICU's reason and the position.
    init(pattern: String, options: Options, field: String = "pattern") throws(ToolFailure) {
        let patternUnits = Array(pattern.utf16)
        var status = U_ZERO_ERROR
        var parseError = UParseError()
        let compiled = swift_uregex_open(patternUnits, Int32(patternUnits.count), options.rawValue, &parseError, &status)
        guard let compiled, status.rawValue <= U_ZERO_ERROR.rawValue else {
            if let compiled { swift_uregex_close(compiled) }
            throw Self.compileFailure(status, parseError, field: field)
        }
        regex = compiled
        groupCount = Int(swift_uregex_groupCount(compiled, &status))
        groupNames = Self.namedGroups(of: compiled, pattern: pattern)
        swift_uregex_setStackLimit(compiled, Int32(Self.backtrackingStackBytes), &status)
        deadlineNanoseconds = .allocate(capacity: 1)
        deadlineNanoseconds.initialize(to: .max)
        installCallbacks()
    }

    deinit {
        swift_uregex_close(regex)
        deadlineNanoseconds.deallocate()
    }

    /// The number of the group called `name`, or nil when there is none.
    func groupNumber(named name: String) -> Int? {
        groupNames.first { $0.value == name }?.key
    }

    /// Searches `text` from its start (the whole text, until ``limit(to:)`` narrows it).
    func reset(_ text: RegexText) {
        self.text = text
        var status = U_ZERO_ERROR
        swift_uregex_setText(regex, text.base, Int32(text.utf16Count), &status)
    }

    /// Narrows the search to a UTF-16 range of the current text (a line, for file_search) and
    /// restarts at its beginning. `^` and `$` match at the range's ends; lookaround does not see
    /// past them.
    func limit(to range: Range<Int>) {
        var status = U_ZERO_ERROR
        swift_uregex_setRegion64(regex, Int64(range.lowerBound), Int64(range.upperBound), &status)
    }

    /// The next match after the previous one; after an empty match the search resumes one code
    /// point further. Nil when there are no more.
    /// - Throws: the limit's failure when it runs out; ``ToolFailure`` `too_large` when the
    ///   backtracking stack overflows.
    func nextMatch(within limit: inout RegexTimeLimit) throws(ToolFailure) -> Match? {
        guard try findNext(within: &limit) else { return nil }
        var status = U_ZERO_ERROR
        var match: Match = []
        match.reserveCapacity(groupCount + 1)
        for group in 0...groupCount {
            let start = swift_uregex_start64(regex, Int32(group), &status)
            let end = swift_uregex_end64(regex, Int32(group), &status)
            match.append(start < 0 || end < start ? nil : Int(start)..<Int(end))
        }
        if status.rawValue > U_ZERO_ERROR.rawValue { throw matchFailure(status, limit: limit) }
        return match
    }

    /// Whether the pattern matches anywhere in the current range; for line-by-line search.
    func hasMatch(within limit: inout RegexTimeLimit) throws(ToolFailure) -> Bool {
        try findNext(within: &limit)
    }

    private func findNext(within limit: inout RegexTimeLimit) throws(ToolFailure) -> Bool {
        try limit.check()
        let start = DispatchTime.now().uptimeNanoseconds
        deadlineNanoseconds.pointee = limit.stop(forCallStartingAt: start)
        var status = U_ZERO_ERROR
        let found = swift_uregex_findNext(regex, &status) != 0
        limit.charge(from: start, to: DispatchTime.now().uptimeNanoseconds)
        if status.rawValue > U_ZERO_ERROR.rawValue { throw matchFailure(status, limit: limit) }
        return found
    }

    private func installCallbacks() {
        var status = U_ZERO_ERROR
        // C callbacks cannot capture; the deadline reaches them through the context pointer.
        swift_uregex_setMatchCallback(regex, { context, _ in
            guard let context else { return 1 }
            let deadline = context.assumingMemoryBound(to: UInt64.self).pointee
            return DispatchTime.now().uptimeNanoseconds < deadline ? 1 : 0
        }, deadlineNanoseconds, &status)
        swift_uregex_setFindProgressCallback(regex, { context, _ in
            guard let context else { return 1 }
            let deadline = context.assumingMemoryBound(to: UInt64.self).pointee
            return DispatchTime.now().uptimeNanoseconds < deadline ? 1 : 0
        }, deadlineNanoseconds, &status)
    }

    /// ICU has no call that lists group names, so every `(?<name>` in the pattern is a candidate
    /// and ICU says which group, if any, carries it. A candidate inside a class or an escape is
    /// not a group name and ICU says so.
    private static func namedGroups(of regex: OpaquePointer, pattern: String) -> [Int: String] {
        var names: [Int: String] = [:]
        let scalars = Array(pattern.unicodeScalars)
        var index = 0
        while index + 3 < scalars.count {
            defer { index += 1 }
            guard scalars[index] == "(", scalars[index + 1] == "?", scalars[index + 2] == "<" else { continue }
            var end = index + 3
            while end < scalars.count, isNameCharacter(scalars[end]) { end += 1 }
            guard end < scalars.count, scalars[end] == ">", end > index + 3 else { continue }
            let name = String(String.UnicodeScalarView(scalars[(index + 3)..<end]))
            let units = Array(name.utf16)
            var status = U_ZERO_ERROR
            let number = swift_uregex_groupNumberFromName(regex, units, Int32(units.count), &status)
            if status.rawValue <= U_ZERO_ERROR.rawValue, number > 0 { names[Int(number)] = name }
        }
        return names
    }

    private static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar))
    }
}
