import CZlib
import Foundation

/// Writes small PDF files for tests, byte by byte as the standard lays them out: a classic xref
/// table, or an object stream plus a PNG-predicted xref stream, or a table whose offsets are all
/// wrong; and incremental updates appended to an existing file.
struct TestPDFWriter {
    enum Body {
        case plain(String)
        /// A stream; `/Length` is added. With `flate`, the data is compressed and `/Filter` added.
        case stream(String, [UInt8], flate: Bool)
    }

    enum Layout {
        case table, compressed, brokenXref
    }

    var objects: [(number: Int, body: Body)] = []

    mutating func add(_ number: Int, _ body: String) {
        objects.append((number, .plain(body)))
    }

    mutating func addStream(_ number: Int, _ dictionary: String = "", _ data: String, flate: Bool = false) {
        objects.append((number, .stream(dictionary, Array(data.utf8), flate: flate)))
    }

    mutating func addStream(_ number: Int, _ dictionary: String = "", bytes: [UInt8], flate: Bool = false) {
        objects.append((number, .stream(dictionary, bytes, flate: flate)))
    }

    /// zlib-compressed bytes, as FlateDecode expects.
    static func deflate(_ data: [UInt8]) -> [UInt8] {
        var length = compressBound(uLong(data.count))
        var output = [UInt8](repeating: 0, count: Int(length))
        let status = compress2(&output, &length, data, uLong(data.count), 9)
        precondition(status == Z_OK)
        return Array(output.prefix(Int(length)))
    }

    static func serialize(_ number: Int, _ body: Body) -> [UInt8] {
        var out = Array("\(number) 0 obj\n".utf8)
        switch body {
        case .plain(let text):
            out += Array(text.utf8)
        case .stream(let dictionary, let data, let flate):
            let payload = flate ? deflate(data) : data
            out += Array("<< \(dictionary) \(flate ? "/Filter /FlateDecode " : "")/Length \(payload.count) >>\nstream\n".utf8)
            out += payload
            out += Array("\nendstream".utf8)
        }
        out += Array("\nendobj\n".utf8)
        return out
    }

    /// The whole file, with `/Root` pointing at object `root`.
    func bytes(root: Int, layout: Layout = .table, trailerExtra: String = "") -> [UInt8] {
        var out = Array("%PDF-1.7\n%\u{E2}\u{E3}\u{CF}\u{D3}\n".utf8)
        var offsets: [Int: Int] = [:]
        let size = (objects.map(\.number).max() ?? 0) + 1
        switch layout {
        case .table, .brokenXref:
            for (number, body) in objects {
                offsets[number] = out.count
                out += Self.serialize(number, body)
            }
            let xref = out.count
            out += Array("xref\n0 \(size)\n0000000000 65535 f \n".utf8)
            for number in 1..<size {
                let offset = layout == .brokenXref ? 12345 : offsets[number] ?? 0
                out += Array((String(format: "%010d", offset) + " 00000 \(offsets[number] == nil ? "f" : "n") \n").utf8)
            }
            let start = layout == .brokenXref ? 99999 : xref
            out += Array("trailer\n<< /Size \(size) /Root \(root) 0 R \(trailerExtra) >>\nstartxref\n\(start)\n%%EOF\n".utf8)
        case .compressed:
            let packed = objects.filter { if case .plain = $0.body { return true } else { return false } }
            let objectStream = size, xrefStream = size + 1
            var header = ""
            var body: [UInt8] = []
            for (number, item) in packed {
                guard case .plain(let text) = item else { continue }
                header += "\(number) \(body.count) "
                body += Array(text.utf8) + [0x0A]
            }
            let streamData = Array(header.utf8) + body
            for (number, item) in objects where packed.contains(where: { $0.number == number }) == false {
                offsets[number] = out.count
                out += Self.serialize(number, item)
            }
            offsets[objectStream] = out.count
            out += Self.serialize(
                objectStream, .stream("/Type /ObjStm /N \(packed.count) /First \(header.utf8.count)", streamData, flate: true))
            offsets[xrefStream] = out.count
            // Rows of W [1 4 2], PNG Up-predicted as most writers do.
            var rows: [[UInt8]] = []
            for number in 0...xrefStream {
                if let index = packed.firstIndex(where: { $0.number == number }) {
                    rows.append([2] + Self.bigEndian(objectStream, 4) + Self.bigEndian(index, 2))
                } else if let offset = offsets[number] {
                    rows.append([1] + Self.bigEndian(offset, 4) + [0, 0])
                } else {
                    rows.append([0, 0, 0, 0, 0, 0xFF, 0xFF])
                }
            }
            var predicted: [UInt8] = []
            var previous = [UInt8](repeating: 0, count: 7)
            for row in rows {
                predicted.append(2)
                predicted += zip(row, previous).map { $0 &- $1 }
                previous = row
            }
            let dictionary = "/Type /XRef /Size \(xrefStream + 1) /W [1 4 2] /Root \(root) 0 R \(trailerExtra) "
                + "/DecodeParms << /Predictor 12 /Columns 7 >>"
            out += Self.serialize(xrefStream, .stream(dictionary, predicted, flate: true))
            out += Array("startxref\n\(offsets[xrefStream]!)\n%%EOF\n".utf8)
        }
        return out
    }

    /// `base` with an incremental update appended: `objects` replace or add objects, a new xref
    /// section points to them, and its trailer's `/Prev` to the previous section.
    static func appendingUpdate(to base: [UInt8], objects: [(number: Int, body: Body)], root: Int, size: Int) -> [UInt8] {
        let text = String(decoding: base, as: UTF8.self)
        let previous = text.components(separatedBy: "startxref\n").last!.split(separator: "\n").first.map { Int($0)! }!
        var out = base
        var offsets: [(Int, Int)] = []
        for (number, body) in objects {
            offsets.append((number, out.count))
            out += serialize(number, body)
        }
        let xref = out.count
        out += Array("xref\n".utf8)
        for (number, offset) in offsets {
            out += Array("\(number) 1\n".utf8) + Array(String(format: "%010d 00000 n \n", offset).utf8)
        }
        out += Array("trailer\n<< /Size \(size) /Root \(root) 0 R /Prev \(previous) >>\nstartxref\n\(xref)\n%%EOF\n".utf8)
        return out
    }

    static func bigEndian(_ value: Int, _ width: Int) -> [UInt8] {
        (0..<width).reversed().map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }
}
