import Foundation
import Testing
import ToolhostCore

@Suite("JSONValue")
struct JSONValueTests {
    @Test("integers that fit in Int parse as int, everything else numeric as double")
    func numbersKeepTheirKind() throws {
        #expect(try JSONValue(parsing: "42") == .int(42))
        #expect(try JSONValue(parsing: "-9223372036854775808").intValue == Int.min)
        guard case .double(let big) = try JSONValue(parsing: "18446744073709551616") else {
            Issue.record("an integer beyond Int should parse as a double")
            return
        }
        #expect(big == 18_446_744_073_709_551_616)
        guard case .double(let fraction) = try JSONValue(parsing: "1.0") else {
            Issue.record("1.0 should stay a double")
            return
        }
        #expect(fraction == 1)
    }

    @Test("1 and 1.0 are equal and hash alike, but 1 and true are not")
    func numericEquality() throws {
        let one = try JSONValue(parsing: "1")
        let oneDouble = try JSONValue(parsing: "1.0")
        #expect(one == oneDouble)
        #expect(Set([one, oneDouble]).count == 1)
        #expect(one != .bool(true))
        #expect(JSONValue.int(9_007_199_254_740_993) != .double(9_007_199_254_740_992))
        #expect(try JSONValue(parsing: #"{"a": [1, 2.0]}"#) == ["a": [1.0, 2]])
    }

    @Test("strings compare by code point, not by canonical equivalence")
    func stringsCompareByCodePoint() {
        #expect(JSONValue.string("\u{e9}") != .string("e\u{301}"))
    }

    @Test("integral doubles count as integer type and convert to Int")
    func typeNames() throws {
        #expect(JSONValue.double(2.0).typeName == "integer")
        #expect(JSONValue.double(2.5).typeName == "number")
        #expect(JSONValue.double(2.0).intValue == 2)
        #expect(JSONValue.double(2.5).intValue == nil)
        #expect(JSONValue.int(3).doubleValue == 3)
        #expect(JSONValue.null.typeName == "null")
        #expect(JSONValue.bool(true).typeName == "boolean")
    }

    @Test("a parse error reports line and column")
    func parseErrorPosition() {
        let text = "{\n  \"name\": \"grep\",\n  \"limit\" 5\n}"
        do {
            _ = try JSONValue(parsing: text)
            Issue.record("expected a parse error")
        } catch {
            #expect(error.line == 3)
            #expect(error.column == 11)
            #expect(error.message.contains("':'"))
            #expect(error.offset == 30)
        }
    }

    @Test(
        "the parser rejects what RFC 8259 does not allow",
        arguments: [
            "", "01", "1.", ".5", "+1", "[1,]", "{\"a\":1,}", "{'a':1}", "tru", "\"\u{01}\"", "\"\\x\"", "[1] 2", "\"\\ud800\"", "NaN", "1e999",
        ]
    )
    func rejectsInvalidJSON(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
    }

    @Test("duplicate keys keep the last value")
    func duplicateKeys() throws {
        #expect(try JSONValue(parsing: #"{"a": 1, "a": 2}"#) == ["a": 2])
    }

    @Test("escapes and surrogate pairs decode")
    func stringEscapes() throws {
        #expect(try JSONValue(parsing: #""a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00""#) == .string("a\"\\/\u{8}\u{c}\n\r\t\u{e9}\u{1F600}"))
    }

    @Test("serialization sorts keys, keeps doubles as doubles and round-trips")
    func serializationRoundTrip() throws {
        let value: JSONValue = ["b": [1, 1.5, 2.0, "x/y\n\u{1}"], "a": nil, "c": ["t": true]]
        let text = value.serialized()
        #expect(text == #"{"a":null,"b":[1,1.5,2.0,"x/y\n\u0001"],"c":{"t":true}}"#)
        #expect(try JSONValue(parsing: text) == value)
        guard case .object(let object) = try JSONValue(parsing: text), case .array(let items)? = object["b"], case .double = items[2] else {
            Issue.record("2.0 should come back as a double")
            return
        }
        let pretty = value.serialized(pretty: true)
        #expect(pretty.contains("\n  \"a\": null,"))
        #expect(try JSONValue(parsing: pretty) == value)
    }

    @Test("parsing Data and String give the same value")
    func dataAndString() throws {
        let text = #"{"tools": [{"name": "ls", "args": ["-l"]}]}"#
        #expect(try JSONValue(parsing: Data(text.utf8)) == JSONValue(parsing: text))
    }

    @Test("subscripts and accessors read nested values")
    func accessors() throws {
        let value = try JSONValue(parsing: #"{"tools": [{"name": "ls"}], "count": 1}"#)
        #expect(value["tools"]?[0]?["name"]?.stringValue == "ls")
        #expect(value["tools"]?[5] == nil)
        #expect(value["count"]?.intValue == 1)
        #expect(value["missing"] == nil)
        #expect(value.objectValue?.count == 2)
        #expect(value["tools"]?.arrayValue?.count == 1)
    }

    @Test("Codable encodes and decodes through JSONEncoder")
    func codable() throws {
        let value: JSONValue = ["a": [1, 2.5, "s", true, nil]]
        let data = try JSONEncoder().encode(value)
        #expect(try JSONDecoder().decode(JSONValue.self, from: data) == value)
    }

    @Test("JSON pointers escape, parse and resolve")
    func pointers() throws {
        let pointer = JSONPointer(["a/b", "c~d", "0"])
        #expect(pointer.description == "/a~1b/c~0d/0")
        #expect(try JSONPointer(parsing: pointer.description) == pointer)
        #expect(JSONPointer([]).description == "")
        let document: JSONValue = ["a/b": ["c~d": ["x", "y"]]]
        #expect(pointer.resolve(in: document) == "x")
        #expect(JSONPointer(["a/b", "c~d", "01"]).resolve(in: document) == nil)
        #expect(pointer.appending("z").tokens.last == "z")
        #expect(throws: JSONPointerError.self) { try JSONPointer(parsing: "a") }
        #expect(throws: JSONPointerError.self) { try JSONPointer(parsing: "/a~2") }
    }
}
