import CZlib

/// The stream filters that text extraction needs (PDF 32000-1 §7.4): Flate (with PNG and TIFF
/// predictors), LZW, ASCIIHex, ASCII85 and RunLength. Image-only filters (DCT, JPX, CCITT, JBIG2)
/// are not decoded: their streams hold no text.
enum PDFFilters {
    /// Decodes `data` through `filters` in order, with their parameters; stops with an error past
    /// `limit` bytes of output (a decompression bomb).
    static func decode(_ data: [UInt8], filters: [String], parameters: [[String: PDFObject]?], limit: Int) throws(PDFError) -> [UInt8] {
        var current = data
        for (index, filter) in filters.enumerated() {
            let parms = index < parameters.count ? parameters[index] : nil
            switch filter {
            case "FlateDecode", "Fl":
                current = try predict(inflate(current, limit: limit), parms)
            case "LZWDecode", "LZW":
                let early = parms?["EarlyChange"]?.integer ?? 1
                current = try predict(lzw(current, earlyChange: early != 0, limit: limit), parms)
            case "ASCIIHexDecode", "AHx":
                current = asciiHex(current)
            case "ASCII85Decode", "A85":
                current = ascii85(current)
            case "RunLengthDecode", "RL":
                current = try runLength(current, limit: limit)
            case "Crypt":
                continue  // the identity crypt filter; real decryption happens before the filters
            default:
                throw PDFError("the \(filter) filter is not supported (it is used for images, not text)")
            }
        }
        return current
    }

    /// zlib inflate; a damaged or truncated stream yields what could be decoded, as readers do.
    static func inflate(_ data: [UInt8], limit: Int) throws(PDFError) -> [UInt8] {
        if data.isEmpty { return [] }
        // zlib-wrapped as the standard says; some producers write raw deflate.
        let wrapped = data.count >= 2 && (data[0] & 0x0F) == 8 && (UInt16(data[0]) << 8 | UInt16(data[1])) % 31 == 0
        return try inflate(data, windowBits: wrapped ? 15 : -15, limit: limit)
    }

    private static func inflate(_ data: [UInt8], windowBits: Int32, limit: Int) throws(PDFError) -> [UInt8] {
        var stream = z_stream()
        guard toolhost_inflate_init(&stream, windowBits) == Z_OK else { throw PDFError("zlib could not start") }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        var input = data
        var status: Int32 = Z_OK
        input.withUnsafeMutableBufferPointer { source in
            stream.next_in = source.baseAddress
            stream.avail_in = uInt(source.count)
            repeat {
                chunk.withUnsafeMutableBufferPointer { target in
                    stream.next_out = target.baseAddress
                    stream.avail_out = uInt(target.count)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    output.append(contentsOf: target[0..<(target.count - Int(stream.avail_out))])
                }
            } while status == Z_OK && output.count <= limit && (stream.avail_in > 0 || stream.avail_out == 0)
        }
        if output.count > limit { throw PDFError.decodesPast(limit) }
        return output
    }

    /// Undoes a PNG (10–15) or TIFF (2) predictor, per row of `Columns` samples.
    static func predict(_ data: [UInt8], _ parms: [String: PDFObject]?) -> [UInt8] {
        guard let parms, let predictor = parms["Predictor"]?.integer, predictor > 1 else { return data }
        let colors = min(max(1, parms["Colors"]?.integer ?? 1), 64)
        let bits = min(max(1, parms["BitsPerComponent"]?.integer ?? 8), 32)
        let columns = min(max(1, parms["Columns"]?.integer ?? 1), 1 << 20)
        let pixelBytes = max(1, (colors * bits + 7) / 8)
        let rowBytes = (columns * colors * bits + 7) / 8
        guard rowBytes > 0, rowBytes < 1 << 24 else { return data }
        if predictor == 2 {
            guard bits == 8 else { return data }
            var output = data
            for rowStart in stride(from: 0, to: output.count, by: rowBytes) where rowStart + pixelBytes < min(rowStart + rowBytes, output.count) {
                for index in (rowStart + pixelBytes)..<min(rowStart + rowBytes, output.count) {
                    output[index] = output[index] &+ output[index - pixelBytes]
                }
            }
            return output
        }
        var output: [UInt8] = []
        output.reserveCapacity(data.count)
        var previous = [UInt8](repeating: 0, count: rowBytes)
        var index = 0
        while index < data.count {
            let type = data[index]
            index += 1
            var row = Array(data[index..<min(index + rowBytes, data.count)])
            index += rowBytes
            row += [UInt8](repeating: 0, count: rowBytes - row.count)
            for column in 0..<rowBytes {
                let left = column >= pixelBytes ? row[column - pixelBytes] : 0
                let up = previous[column]
                let upLeft = column >= pixelBytes ? previous[column - pixelBytes] : 0
                switch type {
                case 1: row[column] = row[column] &+ left
                case 2: row[column] = row[column] &+ up
                case 3: row[column] = row[column] &+ UInt8((Int(left) + Int(up)) / 2)
                case 4: row[column] = row[column] &+ paeth(left, up, upLeft)
                default: break
                }
            }
            output += row
            previous = row
        }
        return output
    }

    private static func paeth(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt8 {
        let p = Int(a) + Int(b) - Int(c)
        let pa = abs(p - Int(a)), pb = abs(p - Int(b)), pc = abs(p - Int(c))
        if pa <= pb && pa <= pc { return a }
        return pb <= pc ? b : c
    }

    static func asciiHex(_ data: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        var high: UInt8?
        for byte in data {
            if byte == UInt8(ascii: ">") { break }
            guard let value = PDFLexer.hexValue(byte) else { continue }
            if let pending = high {
                output.append(pending << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        if let pending = high { output.append(pending << 4) }
        return output
    }

    static func ascii85(_ data: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        var group: [UInt32] = []
        var index = 0
        if data.starts(with: Array("<~".utf8)) { index = 2 }
        func flush(_ group: [UInt32], into output: inout [UInt8]) {
            var padded = group
            while padded.count < 5 { padded.append(84) }
            let value = padded.reduce(UInt64(0)) { $0 * 85 + UInt64($1) }
            let word = UInt32(truncatingIfNeeded: value)
            let bytes = [UInt8(word >> 24), UInt8(word >> 16 & 0xFF), UInt8(word >> 8 & 0xFF), UInt8(word & 0xFF)]
            output += bytes.prefix(group.count - 1)
        }
        while index < data.count {
            let byte = data[index]
            index += 1
            if byte == UInt8(ascii: "~") { break }
            if byte == UInt8(ascii: "z"), group.isEmpty {
                output += [0, 0, 0, 0]
                continue
            }
            guard (33...117).contains(byte) else { continue }
            group.append(UInt32(byte - 33))
            if group.count == 5 {
                flush(group, into: &output)
                group = []
            }
        }
        if group.count > 1 { flush(group, into: &output) }
        return output
    }

    static func runLength(_ data: [UInt8], limit: Int) throws(PDFError) -> [UInt8] {
        var output: [UInt8] = []
        var index = 0
        while index < data.count {
            let length = Int(data[index])
            index += 1
            if length == 128 { break }
            if length < 128 {
                output += data[index..<min(index + length + 1, data.count)]
                index += length + 1
            } else if index < data.count {
                output += [UInt8](repeating: data[index], count: 257 - length)
                index += 1
            }
            if output.count > limit { throw PDFError.decodesPast(limit) }
        }
        return output
    }

    static func lzw(_ data: [UInt8], earlyChange: Bool, limit: Int) throws(PDFError) -> [UInt8] {
        var output: [UInt8] = []
        var table: [[UInt8]] = (0..<256).map { [UInt8($0)] } + [[], []]
        var codeLength = 9
        var bitBuffer: UInt32 = 0
        var bitCount = 0
        var previous: [UInt8]?
        for byte in data {
            bitBuffer = bitBuffer << 8 | UInt32(byte)
            bitCount += 8
            while bitCount >= codeLength {
                let code = Int(bitBuffer >> UInt32(bitCount - codeLength)) & ((1 << codeLength) - 1)
                bitCount -= codeLength
                if code == 256 {
                    table.removeSubrange(258...)
                    codeLength = 9
                    previous = nil
                    continue
                }
                if code == 257 { return output }
                let entry: [UInt8]
                if code < table.count, !(code >= 258 && table[code].isEmpty) {
                    entry = table[code]
                } else if let previous {
                    entry = previous + [previous[0]]
                } else {
                    return output
                }
                output += entry
                if output.count > limit { throw PDFError.decodesPast(limit) }
                if let previous { table.append(previous + [entry[0]]) }
                previous = entry
                let threshold = table.count + (earlyChange ? 1 : 0)
                if threshold >= 1 << codeLength, codeLength < 12 { codeLength += 1 }
            }
        }
        return output
    }
}
