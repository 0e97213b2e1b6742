/// A compiled file_search glob over workspace-relative, `/`-separated paths.
///
/// `{a,b}` alternatives are expanded first (nested ones too), so the glob becomes a few plain
/// globs. Each is a list of segments; a segment is `**` (any number of directories, also none)
/// or a pattern of `*`, `?`, `[…]` and literal characters matched against one path component.
/// Matching runs segment by segment, as a set of positions in those lists, so that a directory
/// whose position set is empty can be skipped without listing it.
struct FileGlob {
    /// A position: which expanded glob, and how many of its segments are matched.
    struct State: Hashable {
        var alternative: Int
        var segment: Int
    }

    enum Segment: Equatable {
        case anyDirectories
        case pattern(GlobSegmentPattern)
    }

    /// At most this many globs after `{…}` expansion.
    static let maximumAlternatives = 1024

    private let alternatives: [[Segment]]

    /// Compiles `glob`.
    /// - Throws: ``ToolFailure`` `invalid_argument` naming `field` for an absolute glob, an unclosed
    ///   `[` or `{`, or too many alternatives.
    init(_ glob: String, field: String) throws(ToolFailure) {
        if glob.hasPrefix("/") {
            throw ToolFailure(.invalidArgument, "\(field): \"\(glob)\" is absolute; globs are relative to the workspace root")
        }
        let expanded = try GlobBraces.expand(Array(glob.unicodeScalars), field: field)
        var alternatives: [[Segment]] = []
        for scalars in expanded {
            var segments: [Segment] = []
            for part in scalars.split(separator: "/", omittingEmptySubsequences: true) {
                if part.elementsEqual(["."]) { continue }
                if part.elementsEqual(["*", "*"]) {
                    // `**/**` means the same as `**`; one keeps the state sets small.
                    if segments.last != .anyDirectories { segments.append(.anyDirectories) }
                } else {
                    segments.append(.pattern(try GlobSegmentPattern(Array(part), field: field)))
                }
            }
            alternatives.append(segments)
        }
        self.alternatives = alternatives
    }

    /// The positions before any path component.
    var start: Set<State> {
        closure(Set(alternatives.indices.map { State(alternative: $0, segment: 0) }))
    }

    /// The positions after one more path component `name`; empty when no path that starts this
    /// way can match.
    func advance(_ states: Set<State>, through name: String) -> Set<State> {
        let scalars = Array(name.unicodeScalars)
        var next: Set<State> = []
        for state in states where state.segment < alternatives[state.alternative].count {
            switch alternatives[state.alternative][state.segment] {
            case .anyDirectories:
                next.insert(state)
            case .pattern(let pattern):
                if pattern.matches(scalars) { next.insert(State(alternative: state.alternative, segment: state.segment + 1)) }
            }
        }
        return closure(next)
    }

    /// Whether a path whose components led to `states` matches the glob.
    func accepts(_ states: Set<State>) -> Bool {
        states.contains { $0.segment == alternatives[$0.alternative].count }
    }

    /// Adds the positions reachable by letting a `**` match no directory.
    private func closure(_ states: Set<State>) -> Set<State> {
        var result = states
        for state in states {
            var current = state
            while current.segment < alternatives[current.alternative].count,
                  alternatives[current.alternative][current.segment] == .anyDirectories {
                current.segment += 1
                result.insert(current)
            }
        }
        return result
    }
}
