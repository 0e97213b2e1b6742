import Testing
import ToolhostCore

@Suite("JMESPath expressions")
struct JMESPathTests {
    func search(_ expression: String, _ data: JSONValue) throws -> JSONValue {
        try JMESPathExpression(expression).search(data)
    }

    func error(of expression: String, on data: JSONValue = .null) -> JMESPathError? {
        do throws(JMESPathError) {
            _ = try JMESPathExpression(expression).search(data)
            return nil
        } catch {
            return error
        }
    }

    @Test("a compiled expression can be searched many times and keeps its text")
    func compileOnceSearchMany() throws {
        let names = try JMESPathExpression("people[?age > `30`].name | sort(@)")
        #expect(names.text == "people[?age > `30`].name | sort(@)")
        #expect(try names.search(["people": [["name": "Grace", "age": 45], ["name": "Ada", "age": 36]]]) == ["Ada", "Grace"])
        #expect(try names.search(["people": [["name": "Linus", "age": 28]]]) == [])
        // A filter over a non-array selects null, and sort() refuses null.
        #expect(throws: JMESPathError.self) { try names.search("not an object") }
        #expect(try JMESPathExpression("people[?age > `30`].name").search("not an object") == nil)
    }

    @Test("syntax errors give the 1-based column of the offending token, counted in Unicode scalars")
    func syntaxColumns() {
        let cases: [(String, Int)] = [
            ("foo[?bar==]", 11), ("foo.", 5), ("a{foo}", 2), ("'é' | =", 7), ("\"✓\".[", 6),
            ("foo[1 2]", 7), ("`{bad}`", 1), ("foo[?x] | ", 11), ("\"abc", 1), ("-", 1),
        ]
        for (expression, column) in cases {
            let failure = error(of: expression)
            #expect(failure?.kind == .syntax, "\(expression)")
            #expect(failure?.column == column, "\(expression): \(String(describing: failure))")
        }
        #expect(error(of: "foo[?bar==]")?.description == "syntax error at column 11: unexpected ']'")
    }

    @Test("unknown functions and wrong argument counts are found when compiling, with the column of the name")
    func compileTimeFunctionChecks() {
        for (expression, kind, column) in [
            ("a | frobnicate(@)", JMESPathError.Kind.unknownFunction, 5), ("length(a, b)", .invalidArity, 1),
            ("x.merge()", .invalidArity, 3), ("foo[1::0]", .invalidValue, 8),
        ] {
            do throws(JMESPathError) {
                _ = try JMESPathExpression(expression)
                Issue.record("\(expression) compiled")
            } catch {
                #expect(error.kind == kind, "\(expression)")
                #expect(error.column == column, "\(expression): \(error)")
            }
        }
    }

    @Test("type errors are found when searching and name the function, the argument and the type")
    func typeErrors() {
        #expect(error(of: "sort(@)", on: ["a": 1])?.message == "sort() argument 1 must be array[number] or array[string], got object")
        #expect(error(of: "sum(@)", on: [1, "2"])?.message == "sum() argument 1 must be array[number], got array of number and string")
        #expect(error(of: "map(a, @)", on: [])?.message == "map() argument 1 must be expression (&…), got null")
        #expect(error(of: "length(&a)")?.kind == .invalidType)
        #expect(error(of: "&a")?.kind == .invalidType)
        #expect(error(of: "sort_by(@, &a)", on: [["a": 1], ["a": "x"]])?.kind == .invalidType)
    }

    @Test("comparisons order numbers only; equality is deep and numeric")
    func comparisons() throws {
        #expect(try search("a == b", ["a": 1, "b": 1.0]) == true)
        #expect(try search("a == b", ["a": ["x": [1, 2.0]], "b": ["x": [1.0, 2]]]) == true)
        #expect(try search("a < b", ["a": "a", "b": "b"]) == .null)
        #expect(try search("a < b", ["a": 9_007_199_254_740_993, "b": 9_007_199_254_740_992.0]) == false)
        #expect(try search("a != b", ["a": true, "b": 1]) == true)
        #expect(try search("[?@ >= `2`]", [1, 2, 3, "4"]) == [2, 3])
    }

    @Test("truthiness: empty strings, arrays and objects, false and null are false; 0 is true")
    func truthiness() throws {
        #expect(try search("[!a, !b, !c, !d, !e, !f]", ["a": "", "b": [], "c": [:], "d": false, "e": nil, "f": 0])
            == [true, true, true, true, true, false])
        #expect(try search("a || b", ["a": [], "b": "x"]) == "x")
        #expect(try search("a && b", ["a": 0, "b": "x"]) == "x")
    }

    @Test("quoted identifiers decode JSON escapes and surrogate pairs; raw strings only unescape \\'")
    func stringsAndEscapes() throws {
        #expect(try search(#""\ud834\udd1e""#, ["𝄞": "clef"]) == "clef")
        #expect(try search(#""a\tb""#, ["a\tb": 1]) == 1)
        #expect(try search(#"'it\'s \n'"#, nil) == "it's \\n")
        #expect(try search("`\"a\\`b\"`", nil) == "a`b")
        #expect(error(of: #""\ud834""#)?.kind == .syntax)
    }

    @Test("string functions count and compare Unicode code points")
    func unicodeStrings() throws {
        #expect(try search("length(@)", "h\u{E9}\u{1D11E}") == 3)
        #expect(try search("reverse(@)", "ab\u{1D11E}") == "\u{1D11E}ba")
        #expect(try search("sort(@)", ["b", "\u{E9}", "a", "Z"]) == ["Z", "a", "b", "\u{E9}"])
        // "é" as one scalar does not start with "e", although it is canonically equivalent to "e\u{301}".
        #expect(try search("starts_with(@, 'e')", "\u{E9}") == false)
        #expect(try search("contains(@, 'é')", "caf\u{E9}!") == true)
        #expect(try search("ends_with(@, '!')", "caf\u{E9}!") == true)
    }

    @Test("object keys, values and * projections follow the keys' code point order")
    func deterministicObjectOrder() throws {
        let data: JSONValue = ["b": 2, "a": 1, "C": 3, "é": 4]
        #expect(try search("keys(@)", data) == ["C", "a", "b", "é"])
        #expect(try search("values(@)", data) == [3, 1, 2, 4])
        #expect(try search("*", data) == [3, 1, 2, 4])
    }

    @Test("numbers: integer arithmetic where it fits, doubles beyond")
    func numbers() throws {
        #expect(try search("sum(@)", [1, 2, 3]) == .int(6))
        #expect(try search("sum(@)", [.int(Int.max), 1]) == .double(Double(Int.max) + 1))
        #expect(try search("avg(@)", [1, 2]) == 1.5)
        #expect(try search("avg(@)", []) == nil)
        #expect(try search("abs(@)", .int(Int.min)) == .double(9_223_372_036_854_775_808.0))
        #expect(try search("[ceil(@), floor(@)]", 1.5) == [2, 1])
        #expect(try search("to_number(@)", "1e3") == 1000.0)
        #expect(try search("[to_number('0x10'), to_number(' '), to_number('1.'), to_number('-0.5')]", "x") == [nil, nil, nil, -0.5])
        #expect(try search("to_string(@)", ["a": [1, 2.5, true, nil]]) == #"{"a":[1,2.5,true,null]}"#)
    }

    @Test("slices clamp their bounds and count negative bounds from the end")
    func slices() throws {
        let data: JSONValue = [0, 1, 2, 3, 4, 5]
        #expect(try search("[::-1]", data) == [5, 4, 3, 2, 1, 0])
        #expect(try search("[-2:]", data) == [4, 5])
        #expect(try search("[10:-10:-2]", data) == [5, 3, 1])
        #expect(try search("[99999999999999999999:]", data) == [])
        #expect(try search("[::9223372036854775807]", data) == [0])
        #expect(try search("[1:3]", "abcdef") == nil)
    }

    @Test("sort_by, max_by and min_by are stable and take the first of equal keys")
    func sortingByKey() throws {
        let people: JSONValue = [["n": "a", "k": 2], ["n": "b", "k": 1], ["n": "c", "k": 2], ["n": "d", "k": 1]]
        #expect(try search("sort_by(@, &k)[].n", people) == ["b", "d", "a", "c"])
        #expect(try search("max_by(@, &k).n", people) == "a")
        #expect(try search("min_by(@, &k).n", people) == "b")
        #expect(try search("map(&k, @)", people) == [2, 1, 2, 1])
    }

    @Test("an expression that multiplies its data stops at the step limit instead of running away")
    func runawayExpressionsStop() {
        let doubling = Array(repeating: "[@, @]", count: 60).joined(separator: " | ")
        var limits = JMESPathLimits()
        limits.maximumSteps = 100_000
        for tail in ["to_string(@)", "@ == @", "sort_by(@, &to_string(@))", "[][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][]"] {
            do throws(JMESPathError) {
                let result = try JMESPathExpression(doubling + " | " + tail).search("x", limits: limits)
                Issue.record("\(tail) gave a result of type \(result.typeName)")
            } catch {
                #expect(error.kind == .limitExceeded, "\(tail): \(error)")
                #expect(error.message.contains("100000 steps"), "\(error.message)")
            }
        }
        // The default limit stops them too.
        #expect(error(of: doubling + " | to_string(@)", on: "x")?.kind == .limitExceeded)
        limits.maximumSteps = 10
        #expect(throws: JMESPathError.self) { try JMESPathExpression("[*].a").search(.array(Array(repeating: 1, count: 20)), limits: limits) }
    }

    @Test("expressions nested deeper than the limit are refused as syntax errors")
    func nestingLimit() throws {
        let deep = String(repeating: "(", count: 300) + "a" + String(repeating: ")", count: 300)
        #expect(error(of: deep)?.kind == .syntax)
        let longPipe = Array(repeating: "a", count: 400).joined(separator: " | ")
        #expect(error(of: longPipe)?.kind == .syntax)
        let longPath = Array(repeating: "a", count: 2000).joined(separator: ".")
        #expect(try search(longPath, ["a": "end"]) == nil)
    }
}
