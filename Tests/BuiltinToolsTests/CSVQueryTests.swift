import BuiltinTools
import Foundation
import Testing
import ToolhostCore

@Suite("The csv_query tool")
struct CSVQueryTests {
    @Test("every manifest example holds")
    func examples() async throws {
        let failures = try await ExampleHarness().failures(of: "csv_query")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    private func query(_ input: JSONValue, files: [String: Data] = [:]) async throws(ToolFailure) -> JSONValue {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("toolhost-csv-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let workspace = try Workspace(root: root)
        for (name, data) in files { try? data.write(to: root.appendingPathComponent(name)) }
        return try await CSVQueryTool().run(input, in: ToolContext(workspace: workspace))
    }

    private func failure(of input: JSONValue) async -> ToolFailure? {
        do {
            _ = try await query(input)
            return nil
        } catch {
            return error
        }
    }

    @Test("RFC 4180: quoted delimiters, doubled quotes, line breaks in quotes, CRLF and a BOM")
    func parsing() async throws {
        let csv = "\u{FEFF}id,text\r\n1,\"a, b\"\r\n2,\"say \"\"hi\"\"\"\r\n3,\"two\r\nlines\"\r\n4,\"\"\r\n"
        let output = try await query(["csv": .string(csv)])
        #expect(output["columns"] == ["id", "text"])
        #expect(output["rows"] == [[1, "a, b"], [2, "say \"hi\""], [3, "two\r\nlines"], [4, nil]])
    }

    @Test("type inference takes JSON numbers only; 007, +1, .5 and 1. stay text; an empty cell is null")
    func inference() async throws {
        let csv = "v\n42\n-3.5\n1e3\n007\n+1\n.5\n1.\n0\n-0.25E-2\n\n 7\n"
        let output = try await query(["csv": .string(csv)])
        #expect(output["rows"] == [[42], [-3.5], [1000.0], ["007"], ["+1"], [".5"], ["1."], [0], [-0.0025], [" 7"]])
        let strings = try await query(["csv": "a,b\n1,\n", "inferTypes": false])
        #expect(strings["rows"] == [["1", ""]])
    }

    @Test("a row with fewer fields is padded with nulls; empty lines are skipped; trailing delimiters give empty fields")
    func shortRows() async throws {
        let output = try await query(["csv": "a,b,c\n1\n\n2,x\n\r\n,,\n3,"])
        #expect(output["rows"] == [[1, nil, nil], [2, "x", nil], [nil, nil, nil], [3, nil, nil]])
        let multiByte = try await query(["csv": "a§b\n1§\"x§y\"\n", "delimiter": "§"])
        #expect(multiByte["rows"] == [[1, "x§y"]])
    }

    @Test("a row with more fields than the header is an error naming its row and line")
    func longRow() async {
        let failure = await failure(of: ["csv": "a,b\n1,2\n\"x\ny\",3,4\n"])
        #expect(failure?.kind == .invalidArgument)
        #expect(failure?.message.hasPrefix("csv: row 2 (line 3) has 3 fields") == true, "\(failure?.message ?? "")")
    }

    @Test("a repeated header name, an unclosed quote or text after a closing quote is an invalid argument")
    func badCSV() async {
        for (csv, fragment) in [("a,b,a\n1,2,3\n", "\"a\" twice"), ("a\n\"open\n", "never closed"), ("a\n\"x\"y\n", "closing quote")] {
            let failure = await failure(of: ["csv": .string(csv)])
            #expect(failure?.kind == .invalidArgument, "\(csv)")
            #expect(failure?.message.hasPrefix("csv: ") == true)
            #expect(failure?.message.contains(fragment) == true, "\(failure?.message ?? "")")
        }
    }

    @Test("an unknown column in columns, where or orderBy is an error naming the field")
    func unknownColumns() async {
        let cases: [(JSONValue, String)] = [
            (["csv": "a,b\n1,2\n", "columns": ["a", "z"]], "columns[1]"),
            (["csv": "a,b\n1,2\n", "where": [["column": "z", "op": "eq", "value": 1]]], "where[0].column"),
            (["csv": "a,b\n1,2\n", "orderBy": [["column": "a"], ["column": "z"]]], "orderBy[1].column"),
        ]
        for (input, field) in cases {
            let failure = await failure(of: input)
            #expect(failure?.kind == .invalidArgument)
            #expect(failure?.message.hasPrefix("\(field): unknown column \"z\"") == true, "\(failure?.message ?? "")")
        }
    }

    @Test("exactly one of csv and path is required")
    func source() async throws {
        #expect(await failure(of: ["csv": "a\n", "path": "x.csv"])?.kind == .invalidArgument)
        #expect(await failure(of: [:])?.kind == .invalidArgument)
        #expect(await failure(of: ["path": "missing.csv"])?.kind == .notFound)
        #expect(await failure(of: ["path": "../x.csv"])?.kind == .denied)
        let output = try await query(["path": "t.csv", "delimiter": "\t"], files: ["t.csv": Data("a\tb\n1\t2\n".utf8)])
        #expect(output["rows"] == [[1, 2]])
    }

    private let people = "name,age,city\nAda,36,London\nBob,,Paris\nCy,7,paris\nDee,36,Berlin\nEve,n/a,Oslo\n"

    @Test("comparison operators: numbers numerically, strings by code point, never across types or with null")
    func comparisons() async throws {
        func names(_ conditions: JSONValue) async throws -> [String] {
            let output = try await query(["csv": .string(people), "where": conditions, "columns": ["name"]])
            return output["rows"]?.arrayValue?.compactMap { $0[0]?.stringValue } ?? []
        }
        #expect(try await names([["column": "age", "op": "eq", "value": 36]]) == ["Ada", "Dee"])
        #expect(try await names([["column": "age", "op": "eq", "value": "36"]]) == [])
        #expect(try await names([["column": "age", "op": "ne", "value": 36]]) == ["Bob", "Cy", "Eve"])
        #expect(try await names([["column": "age", "op": "lt", "value": 10]]) == ["Cy"])
        #expect(try await names([["column": "age", "op": "gte", "value": 7], ["column": "age", "op": "lte", "value": 36]]) == ["Ada", "Cy", "Dee"])
        #expect(try await names([["column": "city", "op": "gt", "value": "Paris"]]) == ["Cy"])
        #expect(try await names([["column": "age", "op": "gt", "value": "a"]]) == ["Eve"])
        #expect(try await names([["column": "age", "op": "isNull"]]) == ["Bob"])
        #expect(try await names([["column": "age", "op": "isNotNull"], ["column": "age", "op": "eq", "value": nil]]) == [])
        #expect(try await names([["column": "age", "op": "eq", "value": nil]]) == ["Bob"])
        #expect(try await names([["column": "city", "op": "contains", "value": "ari"]]) == ["Bob", "Cy"])
        #expect(try await names([["column": "city", "op": "startsWith", "value": "P"]]) == ["Bob"])
        #expect(try await names([["column": "name", "op": "endsWith", "value": "e"]]) == ["Dee", "Eve"])
        #expect(try await names([["column": "age", "op": "in", "value": [7, "n/a", true]]]) == ["Cy", "Eve"])
        #expect(try await names([["column": "age", "op": "startsWith", "value": "3"]]) == ["Ada", "Dee"])
    }

    @Test("sorting: multi-key, numbers before strings, strings by code point, nulls last both ways, stable")
    func sorting() async throws {
        func names(_ orderBy: JSONValue) async throws -> [String] {
            let output = try await query(["csv": .string(people), "orderBy": orderBy, "columns": ["name"]])
            return output["rows"]?.arrayValue?.compactMap { $0[0]?.stringValue } ?? []
        }
        #expect(try await names([["column": "age"]]) == ["Cy", "Ada", "Dee", "Eve", "Bob"])
        #expect(try await names([["column": "age", "direction": "desc"]]) == ["Eve", "Ada", "Dee", "Cy", "Bob"])
        let twoKeys: JSONValue = [["column": "age", "direction": "desc"], ["column": "name", "direction": "desc"]]
        #expect(try await names(twoKeys) == ["Eve", "Dee", "Ada", "Cy", "Bob"])
        #expect(try await names([["column": "city"]]) == ["Dee", "Ada", "Eve", "Bob", "Cy"])
    }

    @Test("offset and limit page the sorted matches; matchedRows counts all matches")
    func paging() async throws {
        let output = try await query(["csv": .string(people), "orderBy": [["column": "name"]], "offset": 1, "limit": 2, "columns": ["name"]])
        #expect(output["rows"] == [["Bob"], ["Cy"]])
        #expect(output["rowCount"] == 2)
        #expect(output["matchedRows"] == 5)
        let beyond = try await query(["csv": .string(people), "offset": 10])
        #expect(beyond["rows"] == [])
        #expect(beyond["matchedRows"] == 5)
        let none = try await query(["csv": .string(people), "limit": 0])
        #expect(none["rowCount"] == 0)
    }

    @Test("without a header the columns are column1… and as wide as the widest row")
    func noHeader() async throws {
        let output = try await query(["csv": "a\nb,c,d\n", "hasHeader": false])
        #expect(output["columns"] == ["column1", "column2", "column3"])
        #expect(output["rows"] == [["a", nil, nil], ["b", "c", "d"]])
    }

    @Test("a delimiter that is a quote or longer than one code point is refused naming delimiter")
    func badDelimiter() async {
        for delimiter in ["\"", "\n"] {
            let failure = await failure(of: ["csv": "a\n", "delimiter": .string(delimiter)])
            #expect(failure?.kind == .invalidArgument)
            #expect(failure?.message.hasPrefix("delimiter: ") == true)
        }
    }
}
