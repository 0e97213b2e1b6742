import BuiltinTools
import Foundation
import Testing
import ToolhostCore

@Suite("encode_decode converts text to and from base64, base64url, hex and URL encoding")
struct EncodeDecodeTests {
    static func run(_ input: JSONValue) async throws(ToolFailure) -> JSONValue {
        try await ToolRun.output(of: EncodeDecodeTool(), input)
    }

    static func failure(_ input: JSONValue) async -> ToolFailure? {
        await ToolRun.failure(of: EncodeDecodeTool(), input)
    }

    static func result(_ operation: String, _ encoding: String, _ text: String, _ extra: [String: JSONValue] = [:]) async throws -> String? {
        var input: [String: JSONValue] = ["operation": .string(operation), "encoding": .string(encoding), "text": .string(text)]
        input.merge(extra) { _, new in new }
        return try await run(.object(input))["result"]?.stringValue
    }

    @Test("every manifest example holds")
    func examples() async throws {
        let failures = try await ExampleHarness().failures(of: "encode_decode")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    @Test("base64 pads by default and base64url does not, unless `padding` says otherwise")
    func paddingDefaults() async throws {
        #expect(try await Self.result("encode", "base64", "hello?>") == "aGVsbG8/Pg==")
        #expect(try await Self.result("encode", "base64url", "hello?>") == "aGVsbG8_Pg")
        #expect(try await Self.result("encode", "base64url", "hello?>", ["padding": true]) == "aGVsbG8_Pg==")
        #expect(try await Self.result("encode", "base64", "hello?>", ["padding": false]) == "aGVsbG8/Pg")
        #expect(try await Self.result("encode", "base64", "") == "")
    }

    @Test("decoding base64 ignores whitespace and accepts missing padding, and counts the decoded bytes")
    func lenientBase64() async throws {
        #expect(try await Self.result("decode", "base64", "SGVs\r\n bG8=") == "Hello")
        #expect(try await Self.result("decode", "base64", "SGVsbG8") == "Hello")
        #expect(try await Self.result("decode", "base64url", "aGVsbG8_Pg==") == "hello?>")
        let output = try await Self.run(["operation": "decode", "encoding": "base64", "text": "4pyT"])
        #expect(output == ["result": "✓", "byteLength": 3])
    }

    @Test("hex decodes either case and encodes lowercase")
    func hex() async throws {
        #expect(try await Self.result("decode", "hex", "546F6f6C") == "Tool")
        #expect(try await Self.result("encode", "hex", "\u{0}é") == "00c3a9")
    }

    @Test("url encoding keeps only unreserved characters; form style writes spaces as +")
    func url() async throws {
        #expect(try await Self.result("encode", "url", "AZaz09-._~ +/") == "AZaz09-._~%20%2B%2F")
        #expect(try await Self.result("encode", "url", "a b+c", ["form": true]) == "a+b%2Bc")
        #expect(try await Self.result("decode", "url", "a+b%2bc%C3%A9") == "a+b+cé")
        #expect(try await Self.result("decode", "url", "a+b%2bc%C3%A9", ["form": true]) == "a b+cé")
        #expect(try await Self.result("decode", "url", "caf\u{e9}%21") == "café!")
    }

    @Test("decoded bytes that are not UTF-8 are refused, pointing to the binary-safe tools")
    func binaryResult() async {
        for (encoding, text) in [("hex", "41ff"), ("base64", "Qf8="), ("url", "A%FF")] {
            let failure = await Self.failure(["operation": "decode", "encoding": .string(encoding), "text": .string(text)])
            #expect(failure?.kind == .invalidArgument, "\(encoding)")
            #expect(failure?.message.hasPrefix("text: ") == true, "\(String(describing: failure))")
            #expect(failure?.message.contains("offset 1") == true, "\(String(describing: failure))")
            #expect(failure?.message.contains("hash_digest") == true, "\(String(describing: failure))")
        }
    }

    @Test("malformed input for the encoding is refused naming `text` and where it goes wrong")
    func malformed() async {
        let cases: [(String, String, String)] = [
            ("url", "100%", "\"%\" at offset 3"),
            ("url", "%zz", "\"%\" at offset 0"),
            ("hex", "abc", "even number"),
            ("hex", "ab cd", "offset 2"),
            ("base64url", "ab+c", "looks like standard base64"),
            ("base64", "ab_c", "looks like base64url"),
            ("base64", "abcde", "single symbol"),
        ]
        for (encoding, text, fragment) in cases {
            let failure = await Self.failure(["operation": "decode", "encoding": .string(encoding), "text": .string(text)])
            #expect(failure?.kind == .invalidArgument, "\(encoding) \(text)")
            #expect(failure?.message.hasPrefix("text: ") == true && failure?.message.contains(fragment) == true,
                    "\(encoding) \(text): \(String(describing: failure))")
        }
    }

    @Test("`padding` outside base64 and `form` outside url are refused naming the option")
    func misplacedOptions() async {
        let padding = await Self.failure(["operation": "encode", "encoding": "hex", "text": "a", "padding": true])
        #expect(padding?.kind == .invalidArgument)
        #expect(padding?.message.hasPrefix("padding: ") == true)
        let form = await Self.failure(["operation": "encode", "encoding": "base64", "text": "a", "form": true])
        #expect(form?.kind == .invalidArgument)
        #expect(form?.message.hasPrefix("form: ") == true)
    }
}
