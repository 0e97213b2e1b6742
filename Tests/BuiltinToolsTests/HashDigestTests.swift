import BuiltinTools
import Foundation
import Testing
import ToolhostCore

@Suite("hash_digest computes checksums and HMACs")
struct HashDigestTests {
    static func run(_ input: JSONValue) async throws(ToolFailure) -> JSONValue {
        try await ToolRun.output(of: HashDigestTool(), input)
    }

    static func failure(_ input: JSONValue) async -> ToolFailure? {
        await ToolRun.failure(of: HashDigestTool(), input)
    }

    @Test("every manifest example holds")
    func examples() async throws {
        let failures = try await ExampleHarness().failures(of: "hash_digest")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    @Test("each plain hash matches its published test vector")
    func plainHashes() async throws {
        let vectors: [(String, String, String)] = [
            ("md5", "", "d41d8cd98f00b204e9800998ecf8427e"),
            ("sha1", "abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
            ("sha384", "abc", "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"),
            ("sha512", "abc",
             "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"),
            ("sha256", "é✓", "1e77cb71920ad52885fab06465a5fcf2e5f98c0382aab36202689431b93b9fb3"),
        ]
        for (algorithm, text, digest) in vectors {
            let output = try await Self.run(["algorithm": .string(algorithm), "text": .string(text)])
            #expect(output["digest"] == .string(digest), "\(algorithm)")
            #expect(output["inputBytes"] == .int(text.utf8.count), "\(algorithm)")
        }
    }

    @Test("each HMAC matches its test vector, with utf8, hex and base64 keys")
    func hmacs() async throws {
        let fox = "The quick brown fox jumps over the lazy dog"
        let cases: [(JSONValue, String)] = [
            (["algorithm": "hmac-md5", "text": .string(fox), "key": "key"], "80070713463e7749b90c2dc24911e275"),
            (["algorithm": "hmac-sha1", "text": .string(fox), "key": "key"], "de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9"),
            (["algorithm": "hmac-sha512", "text": .string(fox), "key": "key", "keyEncoding": "utf8"],
             "b42af09057bac1e2d41708e48a902e09b5ff7f12ab428a4fe86653c73dd248fb82f948a549f7b791a5b41915ee4d1ec3935357e4e2317250d0372afa2ebeeb3a"),
            // RFC 4231 test case 1: a key of twenty 0x0b bytes.
            (["algorithm": "hmac-sha256", "text": "Hi There", "key": .string(String(repeating: "0B", count: 20)), "keyEncoding": "hex"],
             "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
            (["algorithm": "hmac-sha384", "text": "Hi There", "key": "CwsLCwsLCwsLCwsLCwsLCwsLCws", "keyEncoding": "base64"],
             "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6"),
        ]
        for (input, digest) in cases {
            let output = try await Self.run(input)
            #expect(output["digest"] == .string(digest), "\(input)")
        }
    }

    @Test("base64 data may be unpadded and wrapped over lines; the digest can be base64")
    func base64Data() async throws {
        let padded = try await Self.run(["algorithm": "sha256", "data": "//4=", "encoding": "base64"])
        let unpadded = try await Self.run(["algorithm": "sha256", "data": " /\u{A0}/4\n", "encoding": "hex"])
        #expect(unpadded["digest"] == "b3d510ef04275ca8e698e5b3cbb0ece3949ef9252f0cdc839e9ee347409a2209")
        #expect(padded["digest"] == "s9UQ7wQnXKjmmOWzy7Ds45Se+SUvDNyDnp7jR0CaIgk=")
        #expect(padded["encoding"] == "base64")
        #expect(unpadded["inputBytes"] == 2)

        let empty = try await Self.run(["algorithm": "md5", "data": ""])
        #expect(empty["digest"] == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(empty["inputBytes"] == 0)
    }

    @Test("text and data together, or neither, is refused naming both fields")
    func exactlyOneInput() async {
        for input: JSONValue in [["algorithm": "sha1", "text": "a", "data": "YQ=="], ["algorithm": "sha1"]] {
            let failure = await Self.failure(input)
            #expect(failure?.kind == .invalidArgument)
            #expect(failure?.message.contains("`text` and `data`") == true, "\(String(describing: failure))")
        }
    }

    @Test("an HMAC without a key, or a plain hash with one, is refused naming `key`")
    func keyRules() async {
        let missing = await Self.failure(["algorithm": "hmac-sha256", "text": "a"])
        #expect(missing?.kind == .invalidArgument)
        #expect(missing?.message.hasPrefix("key: ") == true, "\(String(describing: missing))")
        let extra = await Self.failure(["algorithm": "sha256", "text": "a", "key": "k"])
        #expect(extra?.kind == .invalidArgument)
        #expect(extra?.message.hasPrefix("key: ") == true, "\(String(describing: extra))")
    }

    @Test("a key that is not valid in its keyEncoding is refused naming `key` and the problem")
    func badKeys() async {
        let cases: [(JSONValue, String)] = [
            (["algorithm": "hmac-sha1", "text": "a", "key": "abc", "keyEncoding": "hex"], "even number"),
            (["algorithm": "hmac-sha1", "text": "a", "key": "zz", "keyEncoding": "hex"], "\"z\" at offset 0"),
            (["algorithm": "hmac-sha1", "text": "a", "key": "a*b", "keyEncoding": "base64"], "\"*\" at offset 1"),
            (["algorithm": "hmac-sha1", "text": "a", "key": "  ", "keyEncoding": "base64"], "no bytes"),
        ]
        for (input, fragment) in cases {
            let failure = await Self.failure(input)
            #expect(failure?.kind == .invalidArgument, "\(input)")
            #expect(failure?.message.hasPrefix("key: ") == true && failure?.message.contains(fragment) == true,
                    "\(String(describing: failure))")
        }
    }

    @Test("malformed base64 data is refused naming `data`")
    func badData() async {
        for (data, fragment) in [("QQ=x", "follows `=` padding"), ("Q", "single symbol"), ("QQ=", "padding"), ("QUJD=", "padding")] {
            let failure = await Self.failure(["algorithm": "md5", "data": .string(data)])
            #expect(failure?.kind == .invalidArgument, "\(data)")
            #expect(failure?.message.hasPrefix("data: ") == true && failure?.message.contains(fragment) == true,
                    "\(data): \(String(describing: failure))")
        }
    }
}
