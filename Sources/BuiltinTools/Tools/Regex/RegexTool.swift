import ToolhostCore

/// The `regex` built-in: lists matches with their groups, replaces them, or splits a text at them,
/// with offsets in Unicode code points and a time limit against catastrophic backtracking.
public struct RegexTool: BuiltinTool {
    public let name = "regex"

    public init() {}

    /// Runs one `match`, `replace` or `split`.
    /// - Throws: ``ToolFailure`` `invalid_argument` for a bad pattern, flag or group reference,
    ///   `timeout` naming `timeoutMs`, `too_large` when the result would exceed the output limit.
    public func run(_ input: JSONValue, in context: ToolContext) async throws(ToolFailure) -> JSONValue {
        let mode = input["mode"]?.stringValue ?? "match"
        let text = RegexText(input["text"]?.stringValue ?? "")
        let timeoutMs = input["timeoutMs"]?.intValue ?? 1000
        let engine = try RegexEngine(
            pattern: input["pattern"]?.stringValue ?? "",
            options: RegexEngine.Options(flags: input["flags"]?.stringValue ?? "", field: "flags"))
        engine.reset(text)
        let limit = RegexTimeLimit.engineTime(
            milliseconds: timeoutMs,
            failure: ToolFailure(.timeout, "timeoutMs: the regular expression ran longer than its limit of \(timeoutMs) ms "
                + "(nested quantifiers such as (a+)+ backtrack exponentially; raise timeoutMs or simplify the pattern)"))
        var run = RegexRun(engine: engine, text: text, limit: limit, outputLimit: context.limits.outputBytes ?? 10 << 20)
        switch mode {
        case "match":
            return try run.matches(maxMatches: input["maxMatches"]?.intValue ?? 1000)
        case "replace":
            let replacement = try RegexReplacement(input["replacement"]?.stringValue ?? "", engine: engine)
            return try run.replace(with: replacement, count: input["count"]?.intValue ?? 0)
        case "split":
            return try run.split(maxSplits: input["maxSplits"]?.intValue ?? 0)
        default:
            throw ToolFailure(.invalidArgument, "mode: unknown mode \"\(mode)\"; expected match, replace or split")
        }
    }
}
