import Foundation
import Registry
import Testing

@Suite("Package digests")
struct PackageDigestTests {
    @Test("the digest is the sha256 of the bytes, in lowercase hex")
    func knownVector() {
        let digest = PackageDigest(of: Data("abc".utf8))
        #expect(digest.hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(digest.description == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(digest.blobPath == "sha256/ba/ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(digest.matches(Data("abc".utf8)))
        #expect(!digest.matches(Data("abd".utf8)))
    }

    @Test("a digest reads back from its hex or its prefixed form, and anything else is invalid_digest")
    func parsing() throws {
        let digest = PackageDigest(of: Data("abc".utf8))
        #expect(try PackageDigest(parsing: digest.hex) == digest)
        #expect(try PackageDigest(parsing: digest.description.uppercased().replacingOccurrences(of: "SHA256:", with: "sha256:")) == digest)
        for bad in ["", "abc", String(repeating: "g", count: 64), "md5:" + digest.hex] {
            #expect(PublishingFixture.refusal { _ = try PackageDigest(parsing: bad) }?.code == .invalidDigest, "\(bad)")
        }
    }
}
