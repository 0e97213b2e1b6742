/// What the launcher said on its status pipe (see `Sources/toolhost-sandbox`): one line per event.
struct StatusReport: Sendable {
    var setupFailure: (stage: String, code: Int32)?
    var blocked: (number: Int32, architecture: UInt32)?
    var exitCode: Int?
    var signal: Int?

    /// Whether the program process ended by itself (an exit status or a signal was reported).
    var programEnded: Bool { exitCode != nil || signal != nil }

    /// Applies one line; unknown lines and `#` comments are ignored, the first outcome of each kind wins.
    mutating func apply(line: Substring) {
        let words = line.split(separator: " ")
        guard let keyword = words.first else { return }
        switch keyword {
        case "setup_failed" where words.count >= 3 && setupFailure == nil:
            // A stage may carry a target ("bind /work"); the errno is always the last word.
            let stage = words[1..<(words.count - 1)].joined(separator: " ")
            setupFailure = (stage, Int32(words[words.count - 1]) ?? 0)
        case "blocked" where words.count >= 3 && blocked == nil:
            let architecture = words[2].hasPrefix("0x") ? UInt32(words[2].dropFirst(2), radix: 16) : UInt32(words[2])
            if let number = Int32(words[1]) { blocked = (number, architecture ?? 0) }
        case "exit" where words.count >= 2 && exitCode == nil && signal == nil:
            exitCode = Int(words[1])
        case "signal" where words.count >= 2 && exitCode == nil && signal == nil:
            signal = Int(words[1])
        default:
            break
        }
    }
}
