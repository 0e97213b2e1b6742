import ToolhostCore

/// One run of the regex tool's three modes over a text, within a time limit and an output budget.
struct RegexRun {
    let engine: RegexEngine
    let text: RegexText
    var limit: RegexTimeLimit
    /// The tool's `outputBytes` limit: results are abandoned once they pass it, so that a
    /// replacement of every empty match in a megabyte of text cannot exhaust memory first.
    let outputLimit: Int

    /// Mode `match`: up to `maxMatches` matches with their groups.
    mutating func matches(maxMatches: Int) throws(ToolFailure) -> JSONValue {
        var matches: [JSONValue] = []
        var outputSize = 0
        var truncated = false
        while let match = try engine.nextMatch(within: &limit) {
            guard matches.count < maxMatches else {
                truncated = true
                break
            }
            guard let whole = match[0] else { break }
            var groups: [JSONValue] = []
            for number in 1..<match.count {
                guard let range = match[number] else {
                    groups.append(.null)
                    continue
                }
                var group = span(range)
                if let name = engine.groupNames[number] { group["name"] = .string(name) }
                groups.append(.object(group))
                outputSize += range.count + 40
            }
            var object = span(whole)
            object["groups"] = .array(groups)
            matches.append(.object(object))
            outputSize += whole.count + 40
            try checkOutput(outputSize, hint: "lower maxMatches")
        }
        return [
            "mode": "match", "matchCount": .int(matches.count), "matches": .array(matches), "truncated": .bool(truncated),
        ]
    }

    /// Mode `replace`: the text with up to `count` matches (0: all) replaced by `replacement`.
    mutating func replace(with replacement: RegexReplacement, count: Int) throws(ToolFailure) -> JSONValue {
        var output: [UInt16] = []
        var copied = 0
        var replacements = 0
        while count == 0 || replacements < count, let match = try engine.nextMatch(within: &limit), let whole = match[0] {
            output.append(contentsOf: text.units[copied..<whole.lowerBound])
            replacement.expand(match, in: text, into: &output)
            copied = whole.upperBound
            replacements += 1
            try checkOutput(output.count, hint: "replace fewer matches (count)")
        }
        output.append(contentsOf: text.units[copied..<text.utf16Count])
        try checkOutput(output.count, hint: "replace fewer matches (count)")
        return ["mode": "replace", "result": .string(String(decoding: output, as: UTF16.self)), "replacements": .int(replacements)]
    }

    /// Mode `split`: the pieces between up to `maxSplits` matches (0: all).
    mutating func split(maxSplits: Int) throws(ToolFailure) -> JSONValue {
        var parts: [JSONValue] = []
        var copied = 0
        var outputSize = 0
        while maxSplits == 0 || parts.count < maxSplits, let match = try engine.nextMatch(within: &limit), let whole = match[0] {
            parts.append(.string(text.string(copied..<whole.lowerBound)))
            outputSize += whole.lowerBound - copied + 4
            copied = whole.upperBound
            try checkOutput(outputSize, hint: "split fewer times (maxSplits)")
        }
        parts.append(.string(text.string(copied..<text.utf16Count)))
        return ["mode": "split", "parts": .array(parts)]
    }

    private func span(_ range: Range<Int>) -> [String: JSONValue] {
        [
            "text": .string(text.string(range)),
            "start": .int(text.codePointOffset(ofUTF16: range.lowerBound)),
            "end": .int(text.codePointOffset(ofUTF16: range.upperBound)),
        ]
    }

    /// `size` counts UTF-16 units (or a close estimate), which never exceeds the UTF-8 size the
    /// limit is about: a run refused here would certainly have been too large.
    private func checkOutput(_ size: Int, hint: String) throws(ToolFailure) {
        guard size <= outputLimit else {
            throw ToolFailure(.tooLarge, "the result would exceed the tool's output limit of \(outputLimit) bytes; \(hint)")
        }
    }
}
