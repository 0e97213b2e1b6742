@testable import BuiltinTools
import Foundation
import TestSupport
import Testing
import ToolhostCore

@Suite("web_fetch gets a page and returns its text")
struct WebFetchTests {
    let tool = WebFetchTool()

    @Test("every manifest example holds")
    func examples() async throws {
        let failures = try await ExampleHarness().failures(of: "web_fetch")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    /// `/__test/respond` with `body` and `type`, as a URL on `server`.
    func respond(_ server: FixtureServer, body: String, type: String, status: Int = 200) -> String {
        let allowed = CharacterSet.alphanumerics
        return "\(server.url)/__test/respond?status=\(status)&type=\(type.addingPercentEncoding(withAllowedCharacters: allowed)!)"
            + "&body=\(body.addingPercentEncoding(withAllowedCharacters: allowed)!)"
    }

    @Test("dropped elements, comments, blocks, inline tags and whitespace follow the fixed rules")
    func conversionRules() {
        let html = """
            <!DOCTYPE html><html><head><title>Ignored head text</title><meta charset="utf-8">
            <link rel="x"></head><body>
            <!-- a comment with <p>markup</p> -->
            <nav>Home | <a href="/">Start</a></nav>
            <div>  Outer <span>inline</span>text<div>Inner</div>tail </div>
            <noscript><p>Enable JavaScript</p></noscript><template><p>Template</p></template>
            <svg viewBox="0 0 1 1"><title>Icon title</title><text>drawn</text></svg><iframe src="x">frame text</iframe>
            <table><tr><td>a</td><td>b</td></tr><tr><th>c</th></tr></table>
            line one<br>line two<br/>line three<hr>after rule
            <pre>  keep
                 collapsed  </pre>
            <p>5 &lt; 6 &amp;&amp; &quot;q&quot; &#x27;s&#39; &copy2024 &notit; &#128; &#x1F600; &bogus; a&b</p>
            <script type="text/javascript">if (a < b) { document.write("</p>no") }</script>
            <style>p { content: "</style" }</style><p>styled</p>
            <ul><li>One</li><li>Two<ul><li>Nested</li></ul></li></ul>
            <p>unclosed paragraph<p>next &nbsp; one
            </body></html>
            """
        let converted = HTMLText(html: html)
        #expect(converted.title == "Ignored head text")
        #expect(converted.text == """
            Home | Start
            Outer inlinetext
            Inner
            tail
            ab
            c
            line one
            line two
            line three
            after rule
            keep collapsed
            5 < 6 && "q" 's' ©2024 ¬it; € 😀 &bogus; a&b
            styled
            One
            Two
            Nested
            unclosed paragraph
            next one
            """)
    }

    @Test("a head without an end tag ends at the first body element, and svg titles are not the page title")
    func implicitHeadEnd() {
        let converted = HTMLText(html: "<html><head><meta charset=utf-8><h1>Visible</h1><svg><title>Not it</title></svg><p>x</p>")
        #expect(converted.title == nil)
        #expect(converted.text == "Visible\nx")
        #expect(HTMLText(html: "<title>A &amp;\n  B</title>text").title == "A & B")
    }

    @Test("a Latin-1 body is decoded from the Content-Type charset, a meta charset is used when the header has none")
    func charsets() async throws {
        try await FixtureServer.serving("web_fetch") { server in
            let context = try NetworkTest.loopbackContext()
            let latin1 = Data([0x63, 0x61, 0x66, 0xE9, 0x20, 0x80]).base64EncodedString()
            let plainURL = "\(server.url)/__test/respond?type=text/plain;%20charset=ISO-8859-1&base64=\(latin1)"
            let plain = try await tool.run(["url": .string(plainURL)], in: context)
            #expect(plain["text"] == "café €")
            let page = Data("<html><head><meta charset=\"windows-1252\"><title>Caf\u{E9}</title></head><p>\u{93}quoted\u{94}</p>".unicodeScalars
                .map { UInt8(truncatingIfNeeded: $0.value) })
            let pageBase64 = page.base64EncodedString().addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let html = try await tool.run(["url": .string("\(server.url)/__test/respond?type=text/html&base64=\(pageBase64)")], in: context)
            #expect(html["title"] == "Café")
            #expect(html["text"] == "\u{201C}quoted\u{201D}")
            let invalid = Data([0x61, 0xFF, 0x62]).base64EncodedString()
            let replaced = try await tool.run(["url": .string("\(server.url)/__test/respond?type=text/plain&base64=\(invalid)")], in: context)
            #expect(replaced["text"] == "a\u{FFFD}b")
        }
    }

    @Test("format raw returns the HTML itself with its title; JSON comes back as is with a null title")
    func rawAndJSON() async throws {
        try await FixtureServer.serving("web_fetch") { server in
            let context = try NetworkTest.loopbackContext()
            let page = respond(server, body: "<title>T</title><p>x &amp; y</p>", type: "text/html")
            let raw = try await tool.run(["url": .string(page), "format": "raw"], in: context)
            #expect(raw["text"] == "<title>T</title><p>x &amp; y</p>")
            #expect(raw["title"] == "T")
            let json = try await tool.run(["url": .string(respond(server, body: "{\"a\": [1, 2]}", type: "application/problem+json"))], in: context)
            #expect(json["text"] == "{\"a\": [1, 2]}")
            #expect(json["title"] == .null)
            #expect(json["contentType"] == "application/problem+json")
        }
    }

    @Test("binary content types are refused without reading the body, naming the type")
    func binaryRefused() async throws {
        try await FixtureServer.serving("web_fetch") { server in
            await NetworkTest.expectFailure(of: tool, ["url": .string("\(server.url)/__test/large?bytes=100000&type=image/png")],
                                            in: try NetworkTest.loopbackContext(), kind: .invalidArgument, mentioning: ["image/png", "not text"])
        }
    }

    @Test("a 404 is a result with its status and text, not a failure")
    func errorStatusIsAResult() async throws {
        try await FixtureServer.serving("web_fetch") { server in
            let output = try await tool.run(["url": .string(respond(server, body: "<h1>Not found</h1>", type: "text/html", status: 404))],
                                            in: try NetworkTest.loopbackContext())
            #expect(output["status"] == 404)
            #expect(output["text"] == "Not found")
        }
    }

    @Test("redirects are followed to the final URL, or returned as they are with followRedirects false")
    func redirects() async throws {
        try await FixtureServer.serving("web_fetch") { server in
            let context = try NetworkTest.loopbackContext()
            let url = "\(server.url)/__test/redirect?to=/hello.txt&status=301"
            let followed = try await tool.run(["url": .string(url)], in: context)
            #expect(followed["finalUrl"] == .string("\(server.url)/hello.txt"))
            #expect(followed["status"] == 200)
            let kept = try await tool.run(["url": .string(url), "followRedirects": false], in: context)
            #expect(kept["status"] == 301)
            #expect(kept["finalUrl"] == .string(url))
        }
    }

    @Test("maxBytes cuts a UTF-8 body without leaving half a character, and bytes counts what was read")
    func truncationKeepsCharactersWhole() async throws {
        try await FixtureServer.serving("web_fetch") { server in
            let url = respond(server, body: "café au lait", type: "text/plain; charset=utf-8")
            let output = try await tool.run(["url": .string(url), "maxBytes": 4], in: try NetworkTest.loopbackContext())
            #expect(output["text"] == "caf")
            #expect(output["bytes"] == 4)
            #expect(output["truncated"] == true)
        }
    }

    @Test("a malformed URL or an out-of-range limit is refused naming the field")
    func badInput() async throws {
        let context = try NetworkTest.loopbackContext()
        await NetworkTest.expectFailure(of: tool, ["url": "http://exa mple.com/"], in: context, kind: .invalidArgument, mentioning: ["url"])
        await NetworkTest.expectFailure(of: tool, ["url": "http://127.0.0.1:9/", "maxBytes": 0], in: context,
                                        kind: .invalidArgument, mentioning: ["maxBytes"])
        await NetworkTest.expectFailure(of: tool, ["url": "http://127.0.0.1:9/", "format": "markdown"], in: context,
                                        kind: .invalidArgument, mentioning: ["format"])
        await NetworkTest.expectFailure(of: tool, ["url": "http://127.0.0.1:9/"], in: context, kind: .upstream, mentioning: ["127.0.0.1"])
    }
}
