import BuiltinTools
import Foundation
import Testing
import ToolhostCore

@Suite("pdf_extract_text")
struct PDFExtractTextTests {
    @Test("every manifest example holds")
    func examples() async throws {
        let failures = try await ExampleHarness().failures(of: "pdf_extract_text")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    /// A two-page document exercising the text machinery:
    /// page 1 (plain content): separate Tj's with a word gap, a TJ array with small kerning and a
    /// word-sized one, a Type0/Identity-H font with a ToUnicode CMap (bfchar, bfrange, array
    /// bfrange, a ligature), lines written bottom-up and right-to-left;
    /// page 2 (Flate content): WinAnsi accents, `/Differences`, `'` and `"`, a form XObject.
    static func document() -> TestPDFWriter {
        var pdf = TestPDFWriter()
        pdf.add(1, "<< /Type /Catalog /Pages 2 0 R >>")
        pdf.add(2, "<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 /Resources << /Font << /F1 10 0 R /F2 11 0 R /F3 13 0 R >> >> >>")
        pdf.add(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R >>")
        pdf.add(4, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents [6 0 R 7 0 R] "
            + "/Resources << /Font << /F1 10 0 R /F3 13 0 R >> /XObject << /Fm1 8 0 R >> >> >>")
        pdf.addStream(5, "", """
            BT /F1 12 Tf 72 720 Td (Hello) Tj 34 0 Td (world) Tj ET
            BT /F1 12 Tf 72 640 Td (Bottom line) Tj ET
            BT /F1 12 Tf 1 0 0 1 72 700 Tm [(Ker) 20 (n) -30 (ing) -400 (gap)] TJ ET
            BT /F1 12 Tf 300 680 Td (right) Tj -228 0 Td (left) Tj ET
            BT /F2 12 Tf 72 660 Td <0003001000110012> Tj <0020> Tj <00300031> Tj ET
            """)
        pdf.addStream(6, "", "q 1 0 0 1 0 0 cm BT /F1 12 Tf 72 720 Td (caf\\351 \\(cr\\350me\\)) Tj ET Q", flate: true)
        pdf.addStream(7, "", """
            BT /F3 12 Tf 72 700 Td (AB) Tj ET
            BT /F1 10 Tf 14 TL 72 680 Td (Line one) Tj (Line two) ' 1 0 (Line three) " ET
            /Fm1 Do
            """, flate: true)
        pdf.addStream(8, "/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Matrix [1 0 0 1 0 -100]",
            "BT /F1 12 Tf 72 500 Td (Inside a form) Tj ET")
        pdf.add(10, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
        pdf.add(11, "<< /Type /Font /Subtype /Type0 /BaseFont /Test-Identity /Encoding /Identity-H "
            + "/DescendantFonts [14 0 R] /ToUnicode 12 0 R >>")
        pdf.addStream(12, "", """
            /CIDInit /ProcSet findresource begin 12 dict begin begincmap
            1 begincodespacerange <0000> <FFFF> endcodespacerange
            2 beginbfchar <0003> <0048> <0020> <0020> endbfchar
            2 beginbfrange <0010> <0012> <00E9> <0030> <0031> [<FB01> <00DF>] endbfrange
            endcmap CMapName currentdict /CMap defineresource pop end end
            """, flate: true)
        pdf.add(13, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
            + "/Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [65 /Euro /uni2192] >> >>")
        pdf.add(14, "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Test-Identity "
            + "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 600 >>")
        return pdf
    }

    static let pageOne = "Hello world\nKerning gap\nleft right\nHéêë ﬁß".replacingOccurrences(of: "ﬁ", with: "fi")
        + "\nBottom line"
    static let pageTwo = "café (crème)\n€→\nLine one\nLine two\nLine three\nInside a form"

    func extract(_ bytes: [UInt8], _ extra: [String: JSONValue] = [:]) async throws -> JSONValue {
        let scratch = try ScratchWorkspace()
        defer { scratch.remove() }
        try scratch.put("doc.pdf", Data(bytes))
        var input: [String: JSONValue] = ["path": "doc.pdf"]
        input.merge(extra) { $1 }
        return try await scratch.run("pdf_extract_text", .object(input))
    }

    @Test("text operators, kerning, fonts, CMaps and forms give exact lines and words")
    func generatedDocument() async throws {
        let output = try await extract(Self.document().bytes(root: 1))
        #expect(output["pageCount"] == 2)
        #expect(output["pages"]?[0]?["text"]?.stringValue == Self.pageOne)
        #expect(output["pages"]?[1]?["text"]?.stringValue == Self.pageTwo)
        #expect(output["text"]?.stringValue == Self.pageOne + "\n\n" + Self.pageTwo)
        #expect(output["truncated"] == false)
    }

    @Test("xref streams with object streams and PNG predictors read the same as a classic table")
    func crossReferenceStreams() async throws {
        let output = try await extract(Self.document().bytes(root: 1, layout: .compressed))
        #expect(output["text"]?.stringValue == Self.pageOne + "\n\n" + Self.pageTwo)
    }

    @Test("a broken xref table is rebuilt by scanning for objects")
    func brokenCrossReference() async throws {
        let output = try await extract(Self.document().bytes(root: 1, layout: .brokenXref))
        #expect(output["text"]?.stringValue == Self.pageOne + "\n\n" + Self.pageTwo)
    }

    @Test("an incremental update replaces an object; the newer version wins")
    func incrementalUpdate() async throws {
        let base = Self.document().bytes(root: 1)
        let updated = TestPDFWriter.appendingUpdate(
            to: base, objects: [(5, .stream("", Array("BT /F1 12 Tf 72 720 Td (Revised page) Tj ET".utf8), flate: true))], root: 1, size: 15)
        let output = try await extract(updated, ["lastPage": 1])
        #expect(output["pages"] == [["number": 1, "text": "Revised page"]])
    }

    @Test("page ranges: lastPage past the end means the last page; firstPage past the end gives no pages")
    func pageRanges() async throws {
        let bytes = Self.document().bytes(root: 1)
        let second = try await extract(bytes, ["firstPage": 2, "lastPage": 99])
        #expect(second["pages"] == [["number": 2, "text": .string(Self.pageTwo)]])
        #expect(second["pageCount"] == 2)
        let none = try await extract(bytes, ["firstPage": 5])
        #expect(none == ["pageCount": 2, "pages": [], "text": "", "truncated": false])
        let scratch = try ScratchWorkspace()
        defer { scratch.remove() }
        try scratch.put("doc.pdf", Data(bytes))
        await scratch.expectFailure("pdf_extract_text", ["path": "doc.pdf", "firstPage": 2, "lastPage": 1], kind: .invalidArgument, field: "lastPage")
    }

    @Test("maxChars cuts the text and sets truncated")
    func maxChars() async throws {
        let output = try await extract(Self.document().bytes(root: 1), ["maxChars": 8])
        #expect(output == ["pageCount": 2, "pages": [["number": 1, "text": "Hello wo"]], "text": "Hello wo", "truncated": true])
        let exact = try await extract(Self.document().bytes(root: 1), ["maxChars": .int(Self.pageOne.count), "lastPage": 1])
        #expect(exact["truncated"] == false)
    }

    @Test("not a PDF, bad base64 and both or neither of path and data are invalid_argument naming the field")
    func badInput() async throws {
        let scratch = try ScratchWorkspace()
        defer { scratch.remove() }
        try scratch.put("notes.pdf", "just text, no PDF")
        await scratch.expectFailure("pdf_extract_text", ["path": "notes.pdf"], kind: .invalidArgument, field: "path")
        await scratch.expectFailure("pdf_extract_text", ["data": "aGVsbG8="], kind: .invalidArgument, field: "data")
        await scratch.expectFailure("pdf_extract_text", ["path": "missing.pdf"], kind: .notFound, field: "path")
        // Cut before its xref table and trailer: the objects are found by scanning.
        let bytes = Self.document().bytes(root: 1)
        let needle = Array("\nxref\n".utf8)
        let xref = try #require((0..<bytes.count).last { bytes[$0...].starts(with: needle) })
        try scratch.put("cut.pdf", Data(bytes.prefix(xref)))
        let output = try await scratch.run("pdf_extract_text", ["path": "cut.pdf"])
        #expect(output["text"]?.stringValue == Self.pageOne + "\n\n" + Self.pageTwo)
    }

    static let sampleText = "Toolhost fixture document\nPage one, second line.\n\nPage two says hello.\n\nThe end (page 3)."

    @Test("encrypted PDFs open with the empty or the given user password, or the owner password")
    func encrypted() async throws {
        let samples: [(String, Data, String?)] = [
            ("RC4-40", EncryptedPDFSamples.rc440Empty, nil), ("RC4-128", EncryptedPDFSamples.rc4128Secret, "secret"),
            ("RC4-128 owner", EncryptedPDFSamples.rc4128Secret, "owner-rc4_128_secret"), ("AES-128", EncryptedPDFSamples.aes128Empty, nil),
            ("AES-256 R6", EncryptedPDFSamples.aes256Empty, nil), ("AES-256 R5", EncryptedPDFSamples.aes256Secret, "secret"),
            ("AES-256 R5 owner", EncryptedPDFSamples.aes256Secret, "owner-aes256_secret"),
        ]
        for (label, data, password) in samples {
            var input: [String: JSONValue] = ["data": .string(data.base64EncodedString())]
            if let password { input["password"] = .string(password) }
            let scratch = try ScratchWorkspace()
            defer { scratch.remove() }
            do {
                let output = try await scratch.run("pdf_extract_text", .object(input))
                #expect(output["text"]?.stringValue == Self.sampleText, "\(label)")
            } catch {
                Issue.record("\(label): \(error)")
            }
        }
    }

    @Test("a missing or wrong password is invalid_argument naming password")
    func wrongPassword() async throws {
        let scratch = try ScratchWorkspace()
        defer { scratch.remove() }
        for data in [EncryptedPDFSamples.rc4128Secret, EncryptedPDFSamples.aes256Secret] {
            let base64 = JSONValue.string(data.base64EncodedString())
            await scratch.expectFailure("pdf_extract_text", ["data": base64], kind: .invalidArgument, field: "password")
            await scratch.expectFailure("pdf_extract_text", ["data": base64, "password": "nope"], kind: .invalidArgument, field: "password")
        }
    }

    @Test("damaged files never crash or hang: truncations, flipped bytes and cut-out ranges")
    func damagedFiles() async throws {
        let scratch = try ScratchWorkspace()
        defer { scratch.remove() }
        var random = SplitMix(seed: 0x5EED)
        let originals = [
            Self.document().bytes(root: 1), Self.document().bytes(root: 1, layout: .compressed),
            [UInt8](EncryptedPDFSamples.aes128Empty), [UInt8](EncryptedPDFSamples.rc440Empty),
        ]
        var outcomes = 0
        for original in originals {
            for round in 0..<80 {
                var bytes = original
                switch round % 4 {
                case 0: bytes = Array(bytes.prefix(Int(random.next() % UInt64(bytes.count))))
                case 1:
                    for _ in 0..<8 { bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next()) }
                case 2:
                    let start = Int(random.next() % UInt64(bytes.count))
                    bytes.removeSubrange(start..<min(bytes.count, start + Int(random.next() % 200)))
                default:
                    // Digits are where lengths, offsets and counts live.
                    for index in bytes.indices where (0x30...0x39).contains(bytes[index]) && random.next() % 20 == 0 {
                        bytes[index] = UInt8(0x30 + random.next() % 10)
                    }
                }
                try scratch.put("damaged.pdf", Data(bytes))
                do {
                    _ = try await scratch.run("pdf_extract_text", ["path": "damaged.pdf"], limits: ToolLimits(timeoutMs: 5000))
                    outcomes += 1
                } catch {
                    #expect(error.kind == .invalidArgument || error.kind == .timeout, "\(error)")
                    outcomes += 1
                }
            }
        }
        #expect(outcomes == 320)
    }

    @Test("`..`, absolute paths and links out of the workspace are denied, naming path")
    func confinement() async throws {
        let scratch = try ScratchWorkspace()
        defer { scratch.remove() }
        await scratch.expectConfined("pdf_extract_text", field: "path") { ["path": .string($0)] }
    }
}

/// A small deterministic random number generator (SplitMix64), so that failures reproduce.
struct SplitMix {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
