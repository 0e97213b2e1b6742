import BuiltinTools
import Foundation
import Testing
import ToolhostCore

@Suite("json_query evaluates JMESPath over JSON")
struct JSONQueryTests {
    @Test("every manifest example holds")
    func examples() async throws {
        let failures = try await ExampleHarness().failures(of: "json_query")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    func query(_ expression: String, _ data: JSONValue, limits: ToolLimits = ToolLimits()) async throws -> JSONValue {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("toolhost-jq-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let handler = try #require(BuiltinToolbox.handler(named: "json_query"))
        let context = ToolContext(workspace: try Workspace(root: root), limits: limits)
        return try await handler.run(["expression": .string(expression), "data": data], in: context)
    }

    func failure(_ expression: String, _ data: JSONValue, limits: ToolLimits = ToolLimits()) async -> ToolFailure? {
        do {
            let output = try await query(expression, data, limits: limits)
            Issue.record("\(expression) succeeded with \(output)")
            return nil
        } catch let failure as ToolFailure {
            return failure
        } catch {
            Issue.record("\(expression) failed with \(error)")
            return nil
        }
    }

    @Test("a syntax error is invalid_argument naming the field, the kind, the column and the expression")
    func syntaxError() async {
        let failure = await failure("people[?age > ]", ["people": []])
        #expect(failure?.kind == .invalidArgument)
        #expect(failure?.message == "expression: syntax error at column 15: unexpected ']' (in `people[?age > ]`)")
    }

    @Test("in a long expression the message shows the part around the column")
    func longExpressionExcerpt() async {
        let expression = String(repeating: "a.", count: 100) + "[?" + String(repeating: ".b", count: 100)
        let message = await failure(expression, [:])?.message ?? ""
        #expect(message.hasPrefix("expression: syntax error at column 201: "), "\(message)")
        let excerpt = "…" + String(repeating: "a.", count: 30) + "[?" + String(repeating: ".b", count: 29) + "…"
        #expect(message.hasSuffix("(in `\(excerpt)`)"), "\(message)")
    }

    @Test("unknown functions, wrong arity, wrong types and zero slice steps are reported with their JMESPath kind")
    func functionErrors() async {
        let cases: [(String, JSONValue, String)] = [
            ("upper(name)", ["name": "x"], "expression: unknown-function at column 1: unknown function upper() (in `upper(name)`)"),
            ("length(a, b)", [:], "expression: invalid-arity at column 1: length() takes 1 argument, got 2 (in `length(a, b)`)"),
            ("sort(@)", ["a": 1], "expression: invalid-type: sort() argument 1 must be array[number] or array[string], got object (in `sort(@)`)"),
            ("[::0]", [1], "expression: invalid-value at column 4: the step of a slice cannot be 0 (in `[::0]`)"),
        ]
        for (expression, data, message) in cases {
            let failure = await failure(expression, data)
            #expect(failure?.kind == .invalidArgument, "\(expression)")
            #expect(failure?.message == message)
        }
    }

    @Test("any JSON value can be queried: scalars, null, and strings are taken as strings, not parsed")
    func anyData() async throws {
        #expect(try await query("length(@)", "h\u{E9}llo") == ["result": 5])
        #expect(try await query("a", #"{"a": 1}"#) == ["result": nil])
        #expect(try await query("type(@)", nil) == ["result": "null"])
        #expect(try await query("@", 2.5) == ["result": 2.5])
        #expect(try await query("[0][1]", [[1, [true]]]) == ["result": [true]])
    }

    @Test("selecting nothing gives a null result, not an error")
    func nothingSelected() async throws {
        #expect(try await query("missing.deeper[0]", ["a": 1]) == ["result": nil])
        #expect(try await query("[?x > `1`]", ["not": "an array"]) == ["result": nil])
    }

    @Test("reshaping: multiselect hash, functions and pipes across the whole specification")
    func reshaping() async throws {
        let data: JSONValue = ["items": [["id": 1, "tags": ["a", "b"], "price": 12.5], ["id": 2, "tags": ["c"], "price": 8]]]
        let output = try await query(
            "{ids: items[].id, tags: items[].tags[] | sort(@), total: sum(items[].price), cheap: items[?price < `10`].id | [0]}", data)
        #expect(output == ["result": ["ids": [1, 2], "tags": ["a", "b", "c"], "total": 20.5, "cheap": 2]])
    }

    @Test("a result larger than the output limit is too_large, naming the limit, before it is written out")
    func outputLimit() async {
        let doubling = Array(repeating: "[@, @]", count: 40).joined(separator: " | ")
        let failure = await failure(doubling, "x", limits: ToolLimits(outputBytes: 1000))
        #expect(failure?.kind == .tooLarge)
        #expect(failure?.message == "result: the selected value is larger than the output limit of 1000 bytes; select less")
    }

    @Test("an expression that multiplies its data is stopped as too_large")
    func runawayExpression() async {
        let doubling = Array(repeating: "[@, @]", count: 60).joined(separator: " | ")
        let failure = await failure(doubling + " | to_string(@)", "x")
        #expect(failure?.kind == .tooLarge)
        let message = failure?.message ?? ""
        #expect(message.hasPrefix("expression: limit-exceeded: the search needs more than 10000000 steps"), "\(message)")
    }
}
