import BuiltinTools
import Foundation
import Testing
import ToolhostCore

@Suite("template_render renders Mustache v1.4 (without lambdas)")
struct TemplateRenderTests {
    /// One case in the Mustache spec's style: template, data, partials and the exact expected text.
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var template: String
        var data: JSONValue = [:]
        var partials: [String: String] = [:]
        var expected: String
        var testDescription: String { name }
    }

    static func run(_ input: JSONValue, limits: ToolLimits = ToolLimits()) async throws(ToolFailure) -> JSONValue {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("toolhost-mustache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        return try await TemplateRenderTool().run(input, in: ToolContext(workspace: try Workspace(root: root), limits: limits))
    }

    static func render(_ template: String, _ data: JSONValue = [:], partials: [String: String] = [:], strict: Bool = false) async throws -> String {
        let output = try await run([
            "template": .string(template), "data": data,
            "partials": .object(partials.mapValues { .string($0) }), "strict": .bool(strict),
        ])
        return output["text"]?.stringValue ?? "<no text>"
    }

    static func failure(_ template: String, _ data: JSONValue = [:], partials: [String: String] = [:], strict: Bool = false) async -> ToolFailure? {
        do {
            _ = try await render(template, data, partials: partials, strict: strict)
            return nil
        } catch let failure as ToolFailure {
            return failure
        } catch {
            return nil
        }
    }

    static func check(_ cases: [Case]) async throws {
        for test in cases {
            let text = try await render(test.template, test.data, partials: test.partials)
            #expect(text == test.expected, "\(test.name): got \(text.debugDescription)")
        }
    }

    @Test("every manifest example holds")
    func examples() async throws {
        let failures = try await ExampleHarness().failures(of: "template_render")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    @Test("spec: interpolation")
    func interpolation() async throws {
        try await Self.check([
            Case(name: "No Interpolation", template: "Hello from {Mustache}!\n", expected: "Hello from {Mustache}!\n"),
            Case(name: "Basic Interpolation", template: "Hello, {{subject}}!\n", data: ["subject": "world"], expected: "Hello, world!\n"),
            Case(name: "HTML Escaping", template: "These characters should be HTML escaped: {{forbidden}}\n",
                 data: ["forbidden": "& \" < >"], expected: "These characters should be HTML escaped: &amp; &quot; &lt; &gt;\n"),
            Case(name: "Triple Mustache", template: "These characters should not be HTML escaped: {{{forbidden}}}\n",
                 data: ["forbidden": "& \" < >"], expected: "These characters should not be HTML escaped: & \" < >\n"),
            Case(name: "Ampersand", template: "These characters should not be HTML escaped: {{&forbidden}}\n",
                 data: ["forbidden": "& \" < >"], expected: "These characters should not be HTML escaped: & \" < >\n"),
            Case(name: "Basic Integer Interpolation", template: "\"{{mph}} miles an hour!\"", data: ["mph": 85], expected: "\"85 miles an hour!\""),
            Case(name: "Basic Decimal Interpolation", template: "\"{{power}} jiggawatts!\"",
                 data: ["power": 1.210], expected: "\"1.21 jiggawatts!\""),
            Case(name: "Basic Null Interpolation", template: "I ({{cannot}}) be seen!", data: ["cannot": nil], expected: "I () be seen!"),
            Case(name: "Basic Context Miss Interpolation", template: "I ({{cannot}}) be seen!", expected: "I () be seen!"),
            Case(name: "Dotted Names - Basic Interpolation", template: "\"{{person.name}}\" == \"{{#person}}{{name}}{{/person}}\"",
                 data: ["person": ["name": "Joe"]], expected: "\"Joe\" == \"Joe\""),
            Case(name: "Dotted Names - Arbitrary Depth", template: "\"{{a.b.c.d.e.name}}\" == \"Phil\"",
                 data: ["a": ["b": ["c": ["d": ["e": ["name": "Phil"]]]]]], expected: "\"Phil\" == \"Phil\""),
            Case(name: "Dotted Names - Broken Chains", template: "\"{{a.b.c}}\" == \"\"", data: ["a": [:]], expected: "\"\" == \"\""),
            Case(name: "Dotted Names - Broken Chain Resolution", template: "\"{{a.b.c.name}}\" == \"\"",
                 data: ["a": ["b": [:]], "c": ["name": "Jim"]], expected: "\"\" == \"\""),
            Case(name: "Dotted Names - Initial Resolution", template: "\"{{#a}}{{b.c.d.e.name}}{{/a}}\" == \"Phil\"",
                 data: ["a": ["b": ["c": ["d": ["e": ["name": "Phil"]]]]], "b": ["c": ["d": ["e": ["name": "Wrong"]]]]],
                 expected: "\"Phil\" == \"Phil\""),
            Case(name: "Dotted Names - Context Precedence", template: "{{#a}}{{b.c}}{{/a}}",
                 data: ["a": ["b": [:]], "b": ["c": "ERROR"]], expected: ""),
            Case(name: "Implicit Iterators - Basic Interpolation", template: "{{#s}}Hello, {{.}}!{{/s}}",
                 data: ["s": "world"], expected: "Hello, world!"),
            Case(name: "Interpolation - Surrounding Whitespace", template: "| {{string}} |", data: ["string": "---"], expected: "| --- |"),
            Case(name: "Interpolation - Standalone", template: "  {{string}}\n", data: ["string": "---"], expected: "  ---\n"),
            Case(name: "Triple Mustache - Standalone", template: "  {{{string}}}\n", data: ["string": "---"], expected: "  ---\n"),
            Case(name: "Interpolation With Padding", template: "|{{ string }}|{{{ string }}}|{{& string }}|", data: ["string": "---"],
                 expected: "|---|---|---|"),
        ])
    }

    @Test("spec: sections")
    func sections() async throws {
        try await Self.check([
            Case(name: "Truthy", template: "\"{{#boolean}}This should be rendered.{{/boolean}}\"", data: ["boolean": true],
                 expected: "\"This should be rendered.\""),
            Case(name: "Falsey", template: "\"{{#boolean}}This should not be rendered.{{/boolean}}\"", data: ["boolean": false], expected: "\"\""),
            Case(name: "Null is falsey", template: "\"{{#null}}This should not be rendered.{{/null}}\"", data: ["null": nil], expected: "\"\""),
            Case(name: "Context", template: "\"{{#context}}Hi {{name}}.{{/context}}\"", data: ["context": ["name": "Joe"]], expected: "\"Hi Joe.\""),
            Case(name: "Parent contexts", template: "\"{{#sec}}{{a}}, {{b}}, {{c.d}}{{/sec}}\"",
                 data: ["a": "foo", "b": "wrong", "sec": ["b": "bar"], "c": ["d": "baz"]], expected: "\"foo, bar, baz\""),
            Case(name: "Variable test", template: "\"{{#foo}}{{.}} is {{foo}}{{/foo}}\"", data: ["foo": "bar"], expected: "\"bar is bar\""),
            Case(name: "List", template: "\"{{#list}}{{item}}{{/list}}\"", data: ["list": [["item": 1], ["item": 2], ["item": 3]]],
                 expected: "\"123\""),
            Case(name: "Empty List", template: "\"{{#list}}Yay lists!{{/list}}\"", data: ["list": []], expected: "\"\""),
            Case(name: "Doubled", template: "{{#bool}}\n* first\n{{/bool}}\n* {{two}}\n{{#bool}}\n* third\n{{/bool}}\n",
                 data: ["bool": true, "two": "second"], expected: "* first\n* second\n* third\n"),
            Case(name: "Nested (Truthy)", template: "| A {{#bool}}B {{#bool}}C{{/bool}} D{{/bool}} E |", data: ["bool": true],
                 expected: "| A B C D E |"),
            Case(name: "Implicit Iterator - String", template: "\"{{#list}}({{.}}){{/list}}\"", data: ["list": ["a", "b", "c", "d", "e"]],
                 expected: "\"(a)(b)(c)(d)(e)\""),
            Case(name: "Implicit Iterator - Decimal", template: "\"{{#list}}({{.}}){{/list}}\"", data: ["list": [1.10, 2.20, 3.30, 4.40, 5.50]],
                 expected: "\"(1.1)(2.2)(3.3)(4.4)(5.5)\""),
            Case(name: "Implicit Iterator - Array", template: "\"{{#list}}({{#.}}{{.}}{{/.}}){{/list}}\"",
                 data: ["list": [[1, 2, 3], ["a", "b", "c"]]],
                 expected: "\"(123)(abc)\""),
            Case(name: "Implicit Iterator - HTML Escaping", template: "\"{{#list}}({{.}}){{/list}}\"", data: ["list": ["&", "\"", "<", ">"]],
                 expected: "\"(&amp;)(&quot;)(&lt;)(&gt;)\""),
            Case(name: "Dotted Names - Truthy", template: "\"{{#a.b.c}}Here{{/a.b.c}}\" == \"Here\"", data: ["a": ["b": ["c": true]]],
                 expected: "\"Here\" == \"Here\""),
            Case(name: "Dotted Names - Broken Chains", template: "\"{{#a.b.c}}Here{{/a.b.c}}\" == \"\"", data: ["a": [:]], expected: "\"\" == \"\""),
            Case(name: "Surrounding Whitespace", template: " | {{#boolean}}\t|\t{{/boolean}} | \n",
                 data: ["boolean": true], expected: " | \t|\t | \n"),
            Case(name: "Internal Whitespace", template: " | {{#boolean}} {{! Important Whitespace }}\n {{/boolean}} | \n", data: ["boolean": true],
                 expected: " |  \n  | \n"),
            Case(name: "Indented Inline Sections", template: " {{#boolean}}YES{{/boolean}}\n {{#boolean}}GOOD{{/boolean}}\n", data: ["boolean": true],
                 expected: " YES\n GOOD\n"),
            Case(name: "Standalone Lines", template: "| This Is\n{{#boolean}}\n|\n{{/boolean}}\n| A Line\n", data: ["boolean": true],
                 expected: "| This Is\n|\n| A Line\n"),
            Case(name: "Indented Standalone Lines", template: "| This Is\n  {{#boolean}}\n|\n  {{/boolean}}\n| A Line\n", data: ["boolean": true],
                 expected: "| This Is\n|\n| A Line\n"),
            Case(name: "Standalone Line Endings", template: "|\r\n{{#boolean}}\r\n{{/boolean}}\r\n|", data: ["boolean": true], expected: "|\r\n|"),
            Case(name: "Standalone Without Previous Line", template: "  {{#boolean}}\n#{{/boolean}}\n/", data: ["boolean": true], expected: "#\n/"),
            Case(name: "Standalone Without Newline", template: "#{{#boolean}}\n/\n  {{/boolean}}", data: ["boolean": true], expected: "#\n/\n"),
            Case(name: "Padding", template: "|{{# boolean }}={{/ boolean }}|", data: ["boolean": true], expected: "|=|"),
        ])
    }

    @Test("spec: inverted sections")
    func invertedSections() async throws {
        try await Self.check([
            Case(name: "Falsey", template: "\"{{^boolean}}This should be rendered.{{/boolean}}\"", data: ["boolean": false],
                 expected: "\"This should be rendered.\""),
            Case(name: "Truthy", template: "\"{{^boolean}}This should not be rendered.{{/boolean}}\"", data: ["boolean": true], expected: "\"\""),
            Case(name: "Null is falsey", template: "\"{{^null}}This should be rendered.{{/null}}\"", data: ["null": nil],
                 expected: "\"This should be rendered.\""),
            Case(name: "Context", template: "\"{{^context}}Hi {{name}}.{{/context}}\"", data: ["context": ["name": "Joe"]], expected: "\"\""),
            Case(name: "List", template: "\"{{^list}}{{n}}{{/list}}\"", data: ["list": [["n": 1], ["n": 2]]], expected: "\"\""),
            Case(name: "Empty List", template: "\"{{^list}}Yay lists!{{/list}}\"", data: ["list": []], expected: "\"Yay lists!\""),
            Case(name: "Dotted Names - Falsey", template: "\"{{^a.b.c}}Not Here{{/a.b.c}}\" == \"Not Here\"", data: ["a": ["b": ["c": false]]],
                 expected: "\"Not Here\" == \"Not Here\""),
            Case(name: "Dotted Names - Broken Chains", template: "\"{{^a.b.c}}Not Here{{/a.b.c}}\" == \"Not Here\"", data: ["a": [:]],
                 expected: "\"Not Here\" == \"Not Here\""),
            Case(name: "Standalone Lines", template: "| This Is\n{{^boolean}}\n|\n{{/boolean}}\n| A Line\n", data: ["boolean": false],
                 expected: "| This Is\n|\n| A Line\n"),
            Case(name: "Empty string is falsey (Toolhost contract)", template: "{{^s}}empty{{/s}}{{#s}}full{{/s}}",
                 data: ["s": ""], expected: "empty"),
            Case(name: "Zero is truthy (Toolhost contract)", template: "{{#n}}[{{.}}]{{/n}}", data: ["n": 0], expected: "[0]"),
        ])
    }

    @Test("spec: comments")
    func comments() async throws {
        try await Self.check([
            Case(name: "Inline", template: "12345{{! Comment Block! }}67890", expected: "1234567890"),
            Case(name: "Multiline", template: "12345{{!\n  This is a\n  multi-line comment...\n}}67890\n", expected: "1234567890\n"),
            Case(name: "Standalone", template: "Begin.\n{{! Comment Block! }}\nEnd.\n", expected: "Begin.\nEnd.\n"),
            Case(name: "Indented Standalone", template: "Begin.\n  {{! Indented Comment Block! }}\nEnd.\n", expected: "Begin.\nEnd.\n"),
            Case(name: "Standalone Line Endings", template: "|\r\n{{! Standalone Comment }}\r\n|", expected: "|\r\n|"),
            Case(name: "Standalone Without Previous Line", template: "  {{! I'm Still Standalone }}\n!", expected: "!"),
            Case(name: "Standalone Without Newline", template: "!\n  {{! I'm Still Standalone }}", expected: "!\n"),
            Case(name: "Multiline Standalone", template: "Begin.\n{{!\nSomething's going on here...\n}}\nEnd.\n", expected: "Begin.\nEnd.\n"),
            Case(name: "Indented Multiline Standalone", template: "Begin.\n  {{!\n    Something's going on here...\n  }}\nEnd.\n",
                 expected: "Begin.\nEnd.\n"),
            Case(name: "Indented Inline", template: "  12 {{! 34 }}\n", expected: "  12 \n"),
            Case(name: "Surrounding Whitespace", template: "12345 {{! Comment Block! }} 67890", expected: "12345  67890"),
            Case(name: "Variable Name Collision", template: "comments never render, even if variable with same name exists {{! comment }}",
                 data: ["! comment": 1, "! comment ": 2, "!comment": 3, "comment": 4],
                 expected: "comments never render, even if variable with same name exists "),
        ])
    }

    @Test("spec: set delimiters")
    func delimiters() async throws {
        try await Self.check([
            Case(name: "Pair Behavior", template: "{{=<% %>=}}(<%text%>)", data: ["text": "Hey!"], expected: "(Hey!)"),
            Case(name: "Special Characters", template: "({{=[ ]=}}[text])", data: ["text": "It worked!"], expected: "(It worked!)"),
            Case(name: "Sections",
                 template: "[\n{{#section}}\n  {{data}}\n  |data|\n{{/section}}\n\n{{= | | =}}\n|#section|\n  {{data}}\n  |data|\n|/section|\n]\n",
                 data: ["section": true, "data": "I got interpolated."],
                 expected: "[\n  I got interpolated.\n  |data|\n\n  {{data}}\n  I got interpolated.\n]\n"),
            Case(name: "Inverted Sections",
                 template: "[\n{{^section}}\n  {{data}}\n  |data|\n{{/section}}\n\n{{= | | =}}\n|^section|\n  {{data}}\n  |data|\n|/section|\n]\n",
                 data: ["section": false, "data": "I got interpolated."],
                 expected: "[\n  I got interpolated.\n  |data|\n\n  {{data}}\n  I got interpolated.\n]\n"),
            Case(name: "Partial Inheritence", template: "[ {{>include}} ]\n{{= | | =}}\n[ |>include| ]\n", data: ["value": "yes"],
                 partials: ["include": ".{{value}}."], expected: "[ .yes. ]\n[ .yes. ]\n"),
            Case(name: "Post-Partial Behavior", template: "[ {{>include}} ]\n[ .{{value}}.  .|value|. ]\n", data: ["value": "yes"],
                 partials: ["include": ".{{value}}. {{= | | =}} .|value|."], expected: "[ .yes.  .yes. ]\n[ .yes.  .|value|. ]\n"),
            Case(name: "Surrounding Whitespace", template: "| {{=@ @=}} |", expected: "|  |"),
            Case(name: "Outlying Whitespace (Inline)", template: " | {{=@ @=}}\n", expected: " | \n"),
            Case(name: "Standalone Tag", template: "Begin.\n{{=@ @=}}\nEnd.\n", expected: "Begin.\nEnd.\n"),
            Case(name: "Indented Standalone Tag", template: "Begin.\n  {{=@ @=}}\nEnd.\n", expected: "Begin.\nEnd.\n"),
            Case(name: "Standalone Line Endings", template: "|\r\n{{= @ @ =}}\r\n|", expected: "|\r\n|"),
            Case(name: "Standalone Without Previous Line", template: "  {{=@ @=}}\n=", expected: "="),
            Case(name: "Standalone Without Newline", template: "=\n  {{=@ @=}}", expected: "=\n"),
            Case(name: "Pair with Padding", template: "|{{= @   @ =}}|", expected: "||"),
        ])
    }

    @Test("spec: partials")
    func partials() async throws {
        try await Self.check([
            Case(name: "Basic Behavior", template: "\"{{>text}}\"", partials: ["text": "from partial"], expected: "\"from partial\""),
            Case(name: "Failed Lookup", template: "\"{{>text}}\"", expected: "\"\""),
            Case(name: "Context", template: "\"{{>partial}}\"", data: ["text": "content"], partials: ["partial": "*{{text}}*"],
                 expected: "\"*content*\""),
            Case(name: "Recursion", template: "{{>node}}", data: ["content": "X", "nodes": [["content": "Y", "nodes": []]]],
                 partials: ["node": "{{content}}<{{#nodes}}{{>node}}{{/nodes}}>"], expected: "X<Y<>>"),
            Case(name: "Nested", template: "{{>outer}}", data: ["a": "hello", "b": "world"],
                 partials: ["outer": "*{{a}} {{>inner}}*", "inner": "{{b}}!"], expected: "*hello world!*"),
            Case(name: "Surrounding Whitespace", template: "| {{>partial}} |", partials: ["partial": "\t|\t"], expected: "| \t|\t |"),
            Case(name: "Inline Indentation", template: "  {{data}}  {{> partial}}\n", data: ["data": "|"], partials: ["partial": ">\n>"],
                 expected: "  |  >\n>\n"),
            Case(name: "Standalone Line Endings", template: "|\r\n{{>partial}}\r\n|", partials: ["partial": ">"], expected: "|\r\n>|"),
            Case(name: "Standalone Without Previous Line", template: "  {{>partial}}\n>", partials: ["partial": ">\n>"], expected: "  >\n  >>"),
            Case(name: "Standalone Without Newline", template: ">\n  {{>partial}}", partials: ["partial": ">\n>"], expected: ">\n  >\n  >"),
            Case(name: "Standalone Indentation", template: "\\\n {{>partial}}\n/\n", data: ["content": "<\n->"],
                 partials: ["partial": "|\n{{{content}}}\n|\n"], expected: "\\\n |\n <\n->\n |\n/\n"),
            Case(name: "Padding Whitespace", template: "|{{> partial }}|", data: ["boolean": true], partials: ["partial": "[]"], expected: "|[]|"),
        ])
    }

    @Test("values print as the contract says: shortest JSON numbers, true/false, nothing for null, compact JSON")
    func valueText() async throws {
        let data: JSONValue = [
            "whole": 3.0, "fraction": 9.75, "big": 1e21, "large": 1e20, "tiny": 1e-7, "small": 0.000001, "negative": -2.5,
            "integer": 123_456_789_012, "yes": true, "no": false, "nothing": nil,
            "list": [1, "a\"b", 2.0, nil], "object": ["b": 1, "a": [true, ["c": 0.5]]],
        ]
        #expect(try await Self.render("{{whole}} {{fraction}} {{big}} {{large}} {{tiny}} {{small}} {{negative}} {{integer}}", data)
            == "3 9.75 1e+21 100000000000000000000 1e-7 0.000001 -2.5 123456789012")
        #expect(try await Self.render("{{yes}}/{{no}}/{{nothing}}/", data) == "true/false//")
        #expect(try await Self.render("{{{list}}} {{{object}}}", data) == "[1,\"a\\\"b\",2,null] {\"a\":[true,{\"c\":0.5}],\"b\":1}")
        #expect(try await Self.render("{{list}}", data) == "[1,&quot;a\\&quot;b&quot;,2,null]")
        #expect(try await Self.render("{{.}}", ["k": "'v'"]) == "{&quot;k&quot;:&quot;'v'&quot;}", "the apostrophe is not escaped")
    }

    @Test("strict mode names a missing name or partial, but a null value is not missing")
    func strictMode() async throws {
        let missing = await Self.failure("Hi {{user.name}}!", ["user": [:]], strict: true)
        #expect(missing?.kind == .invalidArgument)
        #expect(missing?.message.contains("\"user.name\"") == true, "\(String(describing: missing))")
        let section = await Self.failure("line\n{{#items}}x{{/items}}", strict: true)
        #expect(section?.message.contains("\"items\" (line 2)") == true, "\(String(describing: section))")
        let partial = await Self.failure("{{> footer}}", strict: true)
        #expect(partial?.kind == .invalidArgument)
        #expect(partial?.message.contains("partial \"footer\"") == true, "\(String(describing: partial))")
        #expect(try await Self.render("[{{x}}]", ["x": nil], strict: true) == "[]")
        #expect(try await Self.render("[{{x}}]", [:]) == "[]", "not strict: missing renders empty")
    }

    @Test("syntax errors name the template or partial and the line")
    func syntaxErrors() async {
        let cases: [(String, [String: String], String)] = [
            ("a\n{{#open}}never closed", [:], "template line 2: section \"open\" is never closed"),
            ("{{#a}}{{/b}}", [:], "template line 1: {{/b}} does not close the section \"a\""),
            ("{{/a}}", [:], "closes a section that was never opened"),
            ("x {{name", [:], "template line 1: tag opened with \"{{\" is never closed"),
            ("{{=<%=}}", [:], "a delimiter change must hold two delimiters"),
            ("{{}}", [:], "empty tag"),
            ("{{> p}}", ["p": "ok\n{{#x}}"], "partials.p line 2: section \"x\" is never closed"),
        ]
        for (template, partials, fragment) in cases {
            let failure = await Self.failure(template, partials: partials)
            #expect(failure?.kind == .invalidArgument, "\(template)")
            #expect(failure?.message.contains(fragment) == true, "\(template): \(String(describing: failure))")
        }
    }

    @Test("runaway partials, too deep nesting and output beyond the limit stop with an error")
    func runaways() async throws {
        let deep = String(repeating: "{{#a}}", count: 1001) + "x" + String(repeating: "{{/a}}", count: 1001)
        let tooDeep = await Self.failure(deep, ["a": true])
        #expect(tooDeep?.kind == .invalidArgument)
        #expect(tooDeep?.message.contains("nest more than 1000") == true, "\(String(describing: tooDeep))")
        let deepest = String(repeating: "{{#a}}", count: 1000) + "x" + String(repeating: "{{/a}}", count: 1000)
        #expect(try await Self.render(deepest, ["a": true]) == "x")
        let loop = await Self.failure("{{> loop}}", partials: ["loop": "x{{> loop}}"])
        #expect(loop?.kind == .invalidArgument)
        #expect(loop?.message.contains("partials nest more than") == true, "\(String(describing: loop))")
        do {
            let template = "{{#a}}{{#a}}{{#a}}0123456789{{/a}}{{/a}}{{/a}}"
            _ = try await Self.run(["template": .string(template), "data": ["a": .array(Array(repeating: 1, count: 20))]],
                                   limits: ToolLimits(outputBytes: 50_000))
            Issue.record("80,000 bytes of output passed a 50,000-byte limit")
        } catch {
            #expect(error.kind == .tooLarge)
            #expect(error.message.contains("50000"))
        }
    }
}
