@testable import BuiltinTools
import Foundation
import TestSupport
import Testing
import ToolhostCore

/// The rules every network tool shares (Sources/BuiltinTools/Network), through web_fetch and
/// http_request against the real fixture server: the SSRF guard, the host allowlist, schemes,
/// the response cap, the time limit and cancellation.
@Suite("The network tools refuse internal addresses and respect limits")
struct NetworkGuardTests {
    let fetch = WebFetchTool()
    let request = HTTPRequestTool()

    @Test("loopback is refused when the operator has not allowed it, naming host, address and reason")
    func loopbackRefused() async throws {
        try await FixtureServer.serving("web_fetch") { server in
            await NetworkTest.expectFailure(of: fetch, ["url": .string("\(server.url)/page.html")], in: try NetworkTest.context(),
                                            kind: .denied, mentioning: ["127.0.0.1", "loopback", "network.allowLoopback"])
            #expect(server.recorded.isEmpty)
        }
    }

    @Test("metadata, IPv6 loopback, private, unspecified and mapped addresses are refused before connecting")
    func internalAddressesRefused() async throws {
        let context = try NetworkTest.context()
        let cases: [(String, [String])] = [
            ("http://169.254.169.254/latest/meta-data/", ["169.254.169.254", "link-local (cloud metadata)"]),
            ("http://[::1]:8080/", ["::1", "loopback"]),
            ("http://10.0.0.1/", ["10.0.0.1", "private"]),
            ("http://192.168.1.20/admin", ["192.168.1.20", "private"]),
            ("http://100.64.0.1/", ["100.64.0.1", "carrier-grade NAT"]),
            ("http://0.0.0.0:8080/", ["0.0.0.0", "unspecified"]),
            ("http://[::ffff:127.0.0.1]/", ["::ffff:127.0.0.1", "IPv4-mapped 127.0.0.1", "loopback"]),
            ("http://[fe80::1]/", ["fe80::1", "link-local"]),
            ("http://[fd00::5]/", ["fd00::5", "unique local"]),
            ("http://224.0.0.1/", ["224.0.0.1", "multicast"]),
            ("http://255.255.255.255/", ["255.255.255.255", "broadcast"]),
        ]
        for (url, fragments) in cases {
            await NetworkTest.expectFailure(of: fetch, ["url": .string(url), "timeoutMs": 2000], in: context, kind: .denied, mentioning: fragments)
        }
    }

    @Test("decimal, octal and hexadecimal spellings of 127.0.0.1 are judged as 127.0.0.1")
    func numericShorthandsRefused() async throws {
        try await FixtureServer.serving("web_fetch") { server in
            let context = try NetworkTest.context()
            for host in ["2130706433", "0177.0.0.1", "0x7f.0.0.1", "127.1"] {
                await NetworkTest.expectFailure(of: fetch, ["url": .string("http://\(host):\(server.port)/hello.txt")], in: context,
                                                kind: .denied, mentioning: ["127.0.0.1", "loopback"])
            }
            #expect(server.recorded.isEmpty)
        }
    }

    @Test("a name that resolves to loopback is refused when curl connects to it")
    func resolvedNameRefused() async throws {
        try await FixtureServer.serving("web_fetch") { server in
            await NetworkTest.expectFailure(of: fetch, ["url": .string("http://localhost:\(server.port)/hello.txt")], in: try NetworkTest.context(),
                                            kind: .denied, mentioning: ["localhost", "loopback"])
        }
    }

    @Test("a redirect from the allowed fixture server to the metadata address is refused")
    func redirectToMetadataRefused() async throws {
        try await FixtureServer.serving("web_fetch") { server in
            let url = "\(server.url)/__test/redirect?to=http://169.254.169.254/latest/meta-data/"
            await NetworkTest.expectFailure(of: fetch, ["url": .string(url)], in: try NetworkTest.loopbackContext(),
                                            kind: .denied, mentioning: ["redirect", "169.254.169.254", "cloud metadata"])
            #expect(server.recorded.count == 1, "the redirect itself was served")
        }
    }

    @Test("a host outside allowedHosts is refused; an exact name or a suffix pattern lets it through")
    func hostAllowlist() async throws {
        try await FixtureServer.serving("web_fetch") { server in
            let onlyExample = try NetworkTest.loopbackContext { $0.network.allowedHosts = ["*.example.com", "docs.swift.org"] }
            await NetworkTest.expectFailure(of: fetch, ["url": .string("\(server.url)/hello.txt")], in: onlyExample,
                                            kind: .denied, mentioning: ["127.0.0.1", "network.allowedHosts", "*.example.com"])
            await NetworkTest.expectFailure(of: fetch, ["url": "https://example.com/"], in: onlyExample,
                                            kind: .denied, mentioning: ["example.com", "network.allowedHosts"])
            let exact = try NetworkTest.loopbackContext { $0.network.allowedHosts = ["LOCALHOST."] }
            let output = try await fetch.run(["url": .string("http://localhost:\(server.port)/hello.txt")], in: exact)
            #expect(output["text"] == "Hello, plain text!\nSecond line.\n")
        }
    }

    @Test("allowedAddresses lets a listed block through while loopback stays refused otherwise")
    func allowedAddressBlocks() async throws {
        try await FixtureServer.serving("web_fetch") { server in
            let allowed = try NetworkTest.context { $0.network.allowedAddresses = ["127.0.0.0/8"] }
            let output = try await fetch.run(["url": .string("\(server.url)/hello.txt"), "maxBytes": 5], in: allowed)
            #expect(output["text"] == "Hello")
            let malformed = try NetworkTest.context { $0.network.allowedAddresses = ["10.0.0.0/33"] }
            await NetworkTest.expectFailure(of: fetch, ["url": .string("\(server.url)/hello.txt")], in: malformed,
                                            kind: .notConfigured, mentioning: ["network.allowedAddresses", "10.0.0.0/33"])
        }
    }

    @Test("file, gopher and ftp URLs are refused by scheme, directly and after a redirect")
    func otherSchemesRefused() async throws {
        let context = try NetworkTest.loopbackContext()
        for url in ["file:///etc/passwd", "gopher://127.0.0.1:70/_GET", "ftp://127.0.0.1/"] {
            await NetworkTest.expectFailure(of: request, ["url": .string(url)], in: context, kind: .denied, mentioning: ["scheme", "http"])
        }
        try await FixtureServer.serving("web_fetch") { server in
            await NetworkTest.expectFailure(of: fetch, ["url": .string("\(server.url)/__test/redirect?to=file:///etc/passwd")], in: context,
                                            kind: .denied, mentioning: ["file", "redirect"])
        }
    }

    @Test("credentials in the URL are refused")
    func credentialsRefused() async throws {
        await NetworkTest.expectFailure(of: request, ["url": "http://user:secret@127.0.0.1:9/"], in: try NetworkTest.loopbackContext(),
                                        kind: .invalidArgument, mentioning: ["url", "credentials"])
    }

    @Test("a body beyond the host's response limit fails with too_large naming the limit")
    func responseCap() async throws {
        try await FixtureServer.serving("web_fetch") { server in
            let context = try NetworkTest.loopbackContext { $0.network.maximumResponseBytes = 1000 }
            await NetworkTest.expectFailure(of: request, ["url": .string("\(server.url)/__test/large?bytes=50000"), "maxResponseBytes": 5000],
                                            in: context, kind: .tooLarge, mentioning: ["1000 bytes", "network.maximumResponseBytes"])
            // A cap below the host's limit truncates instead.
            let output = try await request.run(["url": .string("\(server.url)/__test/large?bytes=50000"), "maxResponseBytes": 500], in: context)
            #expect(output["truncated"] == true)
            #expect(output["body"]?.stringValue?.count == 500)
        }
    }

    @Test("a slow server runs into the request's time limit, which the message names")
    func timeLimit() async throws {
        try await FixtureServer.serving("web_fetch") { server in
            let started = ContinuousClock.now
            await NetworkTest.expectFailure(of: fetch, ["url": .string("\(server.url)/__test/slow?ms=60000"), "timeoutMs": 300],
                                            in: try NetworkTest.loopbackContext(), kind: .timeout, mentioning: ["300 ms", "timeoutMs"])
            // Far below the server's 60 s: the limit ended it. The bound is loose because the test's
            // own threads may wait for the rest of the suite's tests; stopping the server cuts its answer short.
            #expect(ContinuousClock.now - started < .seconds(30))
        }
    }

    @Test("cancelling the calling task aborts the transfer")
    func cancellation() async throws {
        try await FixtureServer.serving("web_fetch") { server in
            let context = try NetworkTest.loopbackContext()
            let url = "\(server.url)/__test/slow?ms=60000"
            let started = ContinuousClock.now
            let call = Task { try await fetch.run(["url": .string(url), "timeoutMs": 60000], in: context) }
            try await Task.sleep(for: .milliseconds(300))
            call.cancel()
            let result = await call.result
            // Far below the server's 60 s: the cancellation ended it (loose, as above).
            #expect(ContinuousClock.now - started < .seconds(30))
            guard case .failure(let error) = result, let failure = error as? ToolFailure else {
                Issue.record("expected a failure, got \(result)")
                return
            }
            #expect(failure.kind == .timeout && failure.message.contains("cancelled"), "\(failure)")
        }
    }

    @Test("more than 5 redirects fail, naming the count")
    func redirectLimit() async throws {
        try await FixtureServer.serving("web_fetch") { server in
            var url = "\(server.url)/hello.txt"
            for _ in 0..<6 {
                url = "\(server.url)/__test/redirect?to=\(url.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
            }
            await NetworkTest.expectFailure(of: fetch, ["url": .string(url)], in: try NetworkTest.loopbackContext(),
                                            kind: .upstream, mentioning: ["more than 5 redirects"])
            let fiveHops = String(url.dropFirst("\(server.url)/__test/redirect?to=".count)).removingPercentEncoding!
            let output = try await fetch.run(["url": .string(fiveHops)], in: try NetworkTest.loopbackContext())
            #expect(output["finalUrl"] == .string("\(server.url)/hello.txt"))
        }
    }

    @Test("the guard classifies special-purpose addresses and lets public ones through")
    func addressClassification() throws {
        let strict = try AddressGuard(policy: NetworkPolicy())
        for refused in ["127.8.9.10", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.0.1", "100.100.100.100", "169.254.1.1",
                        "0.1.2.3", "224.1.1.1", "240.0.0.1", "198.18.0.1", "192.0.2.1", "::", "::1", "fc00::1", "fe80::abcd",
                        "ff02::1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a00:1", "2002:a00:1::1", "2001:db8::1"] {
            #expect(strict.refusalReason(for: try #require(IPAddress(refused))) != nil, "\(refused) should be refused")
        }
        for allowed in ["8.8.8.8", "172.32.0.1", "192.169.0.1", "100.128.0.1", "1.1.1.1", "2606:4700::1111", "64:ff9b::808:808",
                        "::ffff:8.8.4.4"] {
            #expect(strict.refusalReason(for: try #require(IPAddress(allowed))) == nil, "\(allowed) should be allowed")
        }
        var policy = NetworkPolicy()
        policy.allowLoopback = true
        policy.allowedAddresses = ["10.1.2.0/24", "fd12::/16"]
        let relaxed = try AddressGuard(policy: policy)
        #expect(relaxed.refusalReason(for: IPAddress("127.0.0.1")!) == nil)
        #expect(relaxed.refusalReason(for: IPAddress("::ffff:127.0.0.1")!) == nil)
        #expect(relaxed.refusalReason(for: IPAddress("10.1.2.77")!) == nil)
        #expect(relaxed.refusalReason(for: IPAddress("::ffff:10.1.2.77")!) == nil)
        #expect(relaxed.refusalReason(for: IPAddress("fd12:3::1")!) == nil)
        #expect(relaxed.refusalReason(for: IPAddress("10.1.3.1")!) != nil)
        #expect(relaxed.refusalReason(for: IPAddress("169.254.169.254")!)?.contains("cloud metadata") == true)
    }

    @Test("host patterns match exact names, subdomains only for *.domain, and ports when given")
    func hostPatterns() throws {
        let suffix = try #require(HostPattern("*.example.com"))
        #expect(suffix.matches(host: "api.example.com", port: 443))
        #expect(suffix.matches(host: "a.b.example.com.", port: 80))
        #expect(!suffix.matches(host: "example.com", port: 443))
        #expect(!suffix.matches(host: "badexample.com", port: 443))
        let slack = try #require(HostPattern("hooks.slack.com:443"))
        #expect(slack.matches(host: "HOOKS.slack.com", port: 443))
        #expect(!slack.matches(host: "hooks.slack.com", port: 80))
        #expect(try #require(HostPattern("*:587")).matches(host: "smtp.example.org", port: 587))
        #expect(try #require(HostPattern("[::1]:25")).matches(host: "::1", port: 25))
        #expect(HostPattern("host:99999") == nil)
        #expect(HostPattern("*.") == nil)
    }
}
