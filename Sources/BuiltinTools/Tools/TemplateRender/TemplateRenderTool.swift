import ToolhostCore

/// `template_render`: renders a Mustache template (spec v1.4, without lambdas) with JSON data.
public struct TemplateRenderTool: BuiltinTool {
    public let name = "template_render"

    /// The output cap when the manifest gives none.
    static let defaultOutputLimit = 10 << 20

    public init() {}

    /// Renders `template` with `data` as the root context and `partials` for `{{> name}}`.
    /// - Throws: ``ToolFailure`` `invalid_argument` naming the template or partial and line for a syntax
    ///   error, or the missing name or partial with `strict`; `too_large` when the text outgrows the
    ///   tool's output limit; `timeout` when rendering outlasts the tool's time limit.
    public func run(_ input: JSONValue, in context: ToolContext) async throws(ToolFailure) -> JSONValue {
        guard let template = input["template"]?.stringValue else {
            throw ToolFailure(.invalidArgument, "template: expected a string")
        }
        let data = input["data"] ?? [:]
        guard data.objectValue != nil else {
            throw ToolFailure(.invalidArgument, "data: expected an object, got \(data.typeName)")
        }
        var partials: [String: String] = [:]
        for (name, value) in input["partials"]?.objectValue ?? [:] {
            guard let source = value.stringValue else {
                throw ToolFailure(.invalidArgument, "partials.\(name): expected a string, got \(value.typeName)")
            }
            partials[name] = source
        }
        let strict = input["strict"]?.boolValue ?? false

        let nodes: [MustacheNode]
        do {
            nodes = try MustacheParser.parse(Array(template.utf8), origin: "template")
        } catch {
            throw ToolFailure(.invalidArgument, error.message)
        }
        let outputLimit = context.limits.outputBytes ?? Self.defaultOutputLimit
        let deadline = ContinuousClock.now + .milliseconds(Int(context.timeoutSeconds(fallback: 5) * 1000))
        var renderer = MustacheRenderer(partials: partials, strict: strict, outputLimit: outputLimit, deadline: deadline)
        var stack = [data]
        do {
            try renderer.render(nodes, &stack)
        } catch {
            switch error {
            case .template(let failure): throw ToolFailure(.invalidArgument, failure.message)
            case .tooLarge(let limit): throw ToolFailure(.tooLarge, "the rendered text exceeds the output limit of \(limit) bytes")
            case .timeout:
                throw ToolFailure(.timeout, "rendering took longer than the time limit of \(context.timeoutSeconds(fallback: 5)) s")
            }
        }
        return ["text": .string(String(decoding: renderer.output, as: UTF8.self))]
    }
}
