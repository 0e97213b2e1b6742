import BuiltinTools
import Foundation
import Testing
import ToolhostCore

/// Built-ins run inside the host process, so their limits are the host's own defence (issue 9,
/// point 4): a small input that decompresses or computes into something huge ends with a named
/// limit, early, instead of growing the process.
@Suite("built-in limits")
struct BuiltinLimitsTests {
    /// A PDF of a few hundred KB whose one content stream, shared by `pages` pages, inflates to
    /// `inflatedBytes` of `operators` repeated.
    static func bombPDF(inflatedBytes: Int, pages: Int = 1, operators: String = "BT /F1 12 Tf 72 720 Td (boom) Tj ET\n") -> [UInt8] {
        let operators = Array(operators.utf8)
        var content: [UInt8] = []
        content.reserveCapacity(inflatedBytes + operators.count)
        while content.count < inflatedBytes { content += operators }
        var pdf = TestPDFWriter()
        pdf.add(1, "<< /Type /Catalog /Pages 2 0 R >>")
        let kids = (0..<pages).map { "\(10 + $0) 0 R" }.joined(separator: " ")
        pdf.add(2, "<< /Type /Pages /Kids [\(kids)] /Count \(pages) /Resources << /Font << /F1 3 0 R >> >> >>")
        pdf.add(3, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
        pdf.addStream(4, "/Filter /FlateDecode", bytes: TestPDFWriter.deflate(content))
        for page in 0..<pages {
            pdf.add(10 + page, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>")
        }
        return pdf.bytes(root: 1)
    }

    @Test("a PDF stream that inflates past the memory limit ends with memory_limit, not a page without text")
    func pdfInflateBomb() async throws {
        let scratch = try ScratchWorkspace()
        defer { scratch.remove() }
        let bytes = Self.bombPDF(inflatedBytes: 100 << 20)
        #expect(bytes.count < 1 << 20)
        try scratch.put("bomb.pdf", Data(bytes))
        let start = ContinuousClock.now
        do {
            let output = try await scratch.run(
                "pdf_extract_text", ["path": "bomb.pdf"], limits: ToolLimits(timeoutMs: 30_000, memoryBytes: 64 << 20))
            Issue.record("the inflate bomb was read: \(output.serialized().prefix(200))")
        } catch {
            #expect(error.kind == .memoryLimit, "\(error)")
            #expect(error.message.hasPrefix("path:"), "\(error)")
        }
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    @Test("many pages sharing one large stream exhaust the call's decode budget")
    func pdfSharedStreamBudget() async throws {
        let scratch = try ScratchWorkspace()
        defer { scratch.remove() }
        // 3 MB per decode, under the 4 MB stream limit of a 64 MB tool; 8 pages need 24 MB > 16 MB.
        // The operators draw no text, so the character limit does not end the call first.
        try scratch.put("shared.pdf", Data(Self.bombPDF(inflatedBytes: 3 << 20, pages: 8, operators: "q Q\n")))
        do {
            _ = try await scratch.run(
                "pdf_extract_text", ["path": "shared.pdf"], limits: ToolLimits(timeoutMs: 60_000, memoryBytes: 64 << 20))
            Issue.record("eight decodes of a 3 MB stream fit a 16 MB budget")
        } catch {
            #expect(error.kind == .memoryLimit, "\(error)")
        }
    }
}
