import Foundation
import ToolhostCore

/// `pdf_extract_text`: the text of a PDF's pages, in pure Swift.
///
/// The file is parsed here (cross-reference tables and streams, object streams, incremental
/// updates, a rebuild by scanning when the xref is broken), page content is interpreted for its
/// text operators, strings are decoded through the fonts' encodings and ToUnicode CMaps, and
/// ``PDFPageLayout`` orders what was drawn into lines. Encrypted files are opened with the
/// standard security handler (RC4 and AES) and the given or empty user password.
struct PDFExtractTextTool: BuiltinTool {
    let name = "pdf_extract_text"
    /// The most bytes a PDF given as `path` may have (as `data`, the schema caps it at ~20 MiB).
    var maxFileBytes = 256 << 20

    func run(_ input: JSONValue, in context: ToolContext) async throws(ToolFailure) -> JSONValue {
        let bytes = try source(of: input, in: context.workspace)
        let firstPage = input["firstPage"]?.intValue ?? 1
        let lastPage = input["lastPage"]?.intValue
        let maxChars = input["maxChars"]?.intValue ?? 1_000_000
        if let lastPage, lastPage < firstPage {
            throw ToolFailure(.invalidArgument, "lastPage: \(lastPage) is before firstPage \(firstPage)")
        }
        let field = input["path"] != nil ? "path" : "data"
        let document: PDFDocument
        do {
            // Decoded streams are what a small file can blow up into: a quarter of the tool's
            // memory limit for all of them together, at most a quarter of that for one.
            let budget = (context.limits.memoryBytes ?? 512 << 20) / 4
            document = try PDFDocument(bytes: bytes, streamLimit: max(budget / 4, 1 << 20), decodeBudget: budget)
            try PDFSecurity.unlock(document, password: input["password"]?.stringValue)
        } catch let error as PDFPasswordError {
            throw ToolFailure(.invalidArgument, "password: \(error.message)")
        } catch let error as PDFError where error.isSizeLimit {
            throw ToolFailure(.memoryLimit, "\(field): cannot read the PDF within the tool's memory limit: \(error.message)")
        } catch let error as PDFError {
            throw ToolFailure(.invalidArgument, "\(field): cannot read the PDF: \(error.message)")
        } catch {
            throw ToolFailure(.internalError, "\(field): \(error)")
        }
        let deadline = ContinuousClock.now + .milliseconds(Int(context.timeoutSeconds() * 1000))
        let pages = document.pages()
        var results: [JSONValue] = []
        var texts: [String] = []
        var remaining = maxChars
        var truncated = false
        if firstPage <= pages.count {
            for number in firstPage...min(lastPage ?? pages.count, pages.count) {
                if ContinuousClock.now >= deadline || Task.isCancelled {
                    throw ToolFailure(.timeout, "\(field): text extraction did not finish within the tool's time limit (at page \(number))")
                }
                // Text is drawn in any order and sorted afterwards, so the interpreter stops well past what is needed.
                var interpreter = PDFContentInterpreter(document: document, characterLimit: remaining * 2 + 10_000, deadline: deadline)
                let page = pages[number - 1]
                interpreter.run(document.content(of: page), resources: page.resources)
                if interpreter.timedOut {
                    throw ToolFailure(.timeout, "\(field): text extraction did not finish within the tool's time limit (at page \(number))")
                }
                if document.decodeLimitHit {
                    throw ToolFailure(
                        .memoryLimit,
                        "\(field): a stream of page \(number) decompresses past the tool's memory limit (\(document.streamLimit) bytes "
                            + "for one stream, \(document.decodeBudget) for all of them)")
                }
                var text = PDFPageLayout.text(of: interpreter.runs)
                if text.count > remaining {
                    text = String(text.prefix(remaining))
                    truncated = true
                }
                remaining -= text.count
                results.append(["number": .int(number), "text": .string(text)])
                texts.append(text)
                if truncated { break }
                if remaining == 0, number < min(lastPage ?? pages.count, pages.count) {
                    truncated = true
                    break
                }
            }
        }
        return [
            "pageCount": .int(pages.count),
            "pages": .array(results),
            "text": .string(texts.joined(separator: "\n\n")),
            "truncated": .bool(truncated),
        ]
    }

    /// The PDF's bytes: the workspace file at `path`, or `data` decoded from base64.
    private func source(of input: JSONValue, in workspace: Workspace) throws(ToolFailure) -> [UInt8] {
        switch (input["path"]?.stringValue, input["data"]?.stringValue) {
        case (let path?, nil):
            return Array(try workspace.read(WorkspacePath(path, field: "path"), maxBytes: maxFileBytes))
        case (nil, let data?):
            guard let decoded = Data(base64Encoded: data, options: .ignoreUnknownCharacters) else {
                throw ToolFailure(.invalidArgument, "data: not valid base64")
            }
            return Array(decoded)
        default:
            throw ToolFailure(.invalidArgument, "path: give exactly one of path and data")
        }
    }
}
