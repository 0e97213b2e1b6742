import TestSupport
import Foundation
import Registry
import Testing
import ToolhostCore

@Suite("Signing packages")
struct PackageSigningTests {
    let archive = Data("a package archive".utf8)

    @Test("a signature made with a key verifies with its public key")
    func signAndVerify() throws {
        let key = PackageSigningKey.generate()
        let signature = try key.sign(archive)
        #expect(signature.count == 64)
        try key.publicKey.verify(signature: signature, of: archive)
        try key.publicKey.verify(base64Signature: signature.base64EncodedString(), of: archive)
    }

    @Test("a changed archive, another key or a mangled signature is bad_signature")
    func badSignatures() throws {
        let key = PackageSigningKey.generate()
        let signature = try key.sign(archive)
        var changed = archive
        changed[changed.startIndex] ^= 1
        #expect(PublishingFixture.refusal { try key.publicKey.verify(signature: signature, of: changed) }?.code == .badSignature)
        #expect(
            PublishingFixture.refusal { try PackageSigningKey.generate().publicKey.verify(signature: signature, of: archive) }?.code == .badSignature)
        var flipped = signature
        flipped[flipped.startIndex + 10] ^= 0x80
        #expect(PublishingFixture.refusal { try key.publicKey.verify(signature: flipped, of: archive) }?.code == .badSignature)
        #expect(PublishingFixture.refusal { try key.publicKey.verify(signature: signature.prefix(32), of: archive) }?.code == .badSignature)
        #expect(PublishingFixture.refusal { try key.publicKey.verify(base64Signature: "not base64!", of: archive) }?.code == .badSignature)
    }

    @Test("a key pair saved to a file is written with mode 0600 and loads back to the same key")
    func keyFileRoundTrip() throws {
        try PublishingFixture.withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("publisher.key")
            let key = PackageSigningKey.generate()
            try key.save(to: url)
            let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            let document = try JSONValue(parsing: try Data(contentsOf: url))
            #expect(document["algorithm"] == "ed25519")
            #expect(document["publicKey"]?.stringValue == key.publicKey.base64)
            let loaded = try PackageSigningKey.load(from: url)
            #expect(loaded.publicKey == key.publicKey)
            try key.publicKey.verify(signature: try loaded.sign(archive), of: archive)
            // An existing key is not overwritten by accident.
            #expect(PublishingFixture.refusal { try PackageSigningKey.generate().save(to: url) }?.code == .io)
            try PackageSigningKey.generate().save(to: url, overwrite: true)
            #expect(try PackageSigningKey.load(from: url).publicKey != key.publicKey)
        }
    }

    @Test("a private key file that others can read is refused, as ssh refuses it")
    func openKeyFile() throws {
        try PublishingFixture.withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("publisher.key")
            try PackageSigningKey.generate().save(to: url)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: url.path)
            let error = PublishingFixture.refusal { _ = try PackageSigningKey.load(from: url) }
            #expect(error?.code == .invalidKey)
            #expect(error?.message.contains("chmod 600") == true)
        }
    }

    @Test(
        "a malformed key file is invalid_key with what is wrong",
        arguments: [
            ("not json", "not JSON"),
            (#"["ed25519"]"#, "not a JSON object"),
            (#"{"algorithm": "rsa", "privateKey": "", "publicKey": ""}"#, "only \"ed25519\""),
            (#"{"algorithm": "ed25519", "publicKey": "AAAA"}"#, "no privateKey"),
            (#"{"algorithm": "ed25519", "privateKey": "%%%", "publicKey": "AAAA"}"#, "privateKey is not base64"),
            (#"{"algorithm": "ed25519", "privateKey": "AAAA", "publicKey": "AAAA"}"#, "privateKey is 3 bytes"),
        ])
    func malformedKeyFiles(text: String, expected: String) {
        let error = PublishingFixture.refusal { _ = try PackageSigningKey(keyFile: Data(text.utf8)) }
        #expect(error?.code == .invalidKey)
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
    }

    @Test("a key file whose public key is not its private key's is refused")
    func mismatchedHalves() throws {
        var document = try JSONValue(parsing: PackageSigningKey.generate().keyFile)
        if case .object(var members) = document {
            members["publicKey"] = .string(PackageSigningKey.generate().publicKey.base64)
            document = .object(members)
        }
        let error = PublishingFixture.refusal { _ = try PackageSigningKey(keyFile: Data(document.serialized().utf8)) }
        #expect(error?.code == .invalidKey)
        #expect(error?.message.contains("not the public half") == true)
    }

    @Test("a public key file is one line of base64 and loads back; a malformed one is invalid_key")
    func publicKeyFiles() throws {
        try PublishingFixture.withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("publisher.pub")
            let key = PackageSigningKey.generate().publicKey
            try key.save(to: url)
            #expect(try String(contentsOf: url, encoding: .utf8) == key.base64 + "\n")
            #expect(try PackagePublicKey.load(from: url) == key)
            try Data("c2hvcnQ=\n".utf8).write(to: url)
            let error = PublishingFixture.refusal { _ = try PackagePublicKey.load(from: url) }
            #expect(error?.code == .invalidKey)
            #expect(error?.message.contains("5 bytes") == true)
            #expect(PublishingFixture.refusal { _ = try PackagePublicKey(base64: "***") }?.code == .invalidKey)
        }
    }

    @Test("signing a packed archive and verifying the upload works end to end")
    func signPackedArchive() throws {
        try PublishingFixture.withTemporaryDirectory { directory in
            try PublishingFixture.write(["toolhost.json": ArchiveBuilder.manifestText(), "main.py": "print(1)\n"], under: directory)
            let archive = try PackageArchiveWriter().pack(directory: directory)
            let key = PackageSigningKey.generate()
            let signature = try key.sign(archive).base64EncodedString()
            let registered = try PackagePublicKey(base64: key.publicKey.base64)
            try registered.verify(base64Signature: signature, of: archive)
            #expect(registered.fingerprint.count == 64)
        }
    }
}
