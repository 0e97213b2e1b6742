extension PDFDocument {
    /// Follows `startxref` and the `/Prev` chain; sections read earlier (newer) win.
    func readCrossReferences() throws(PDFError) {
        let tail = bytes[max(0, bytes.count - 4096)...]
        guard let keyword = Self.findLast(Array("startxref".utf8), in: tail) else { throw PDFError("no startxref") }
        var lexer = PDFLexer(bytes[...], position: keyword + 9)
        guard case .object(.int(var offset)) = try lexer.nextToken() else { throw PDFError("startxref has no offset") }
        var visited: Set<Int> = []
        while visited.insert(offset).inserted {
            let section = try readSection(at: offset)
            for (key, value) in section where trailer[key] == nil { trailer[key] = value }
            if let streamOffset = section["XRefStm"]?.integer, visited.insert(streamOffset).inserted {
                _ = try? readSection(at: streamOffset)
            }
            guard let previous = section["Prev"]?.integer else { break }
            offset = previous
        }
    }

    /// Reads one xref table with its trailer, or one xref stream; returns the trailer dictionary.
    private func readSection(at offset: Int) throws(PDFError) -> [String: PDFObject] {
        guard offset >= 0, offset < bytes.count else { throw PDFError("xref offset \(offset) is outside the file") }
        var lexer = PDFLexer(bytes[...], position: offset)
        lexer.skipWhitespace()
        if bytes[lexer.position...].starts(with: Array("xref".utf8)) {
            lexer.position += 4
            return try readTable(&lexer)
        }
        let (_, object) = try parseIndirectObject(at: lexer.position)
        guard case .stream(let stream) = object, stream.dictionary["Type"]?.name == "XRef" else {
            throw PDFError("no xref section at offset \(offset)")
        }
        try readStream(stream)
        return stream.dictionary
    }

    private func readTable(_ lexer: inout PDFLexer) throws(PDFError) -> [String: PDFObject] {
        while true {
            switch try lexer.nextToken() {
            case .keyword("trailer"):
                return try lexer.nextObject().dictionary ?? [:]
            case .object(.int(let start)):
                guard start >= 0, start < 10_000_000, case .object(.int(let count)) = try lexer.nextToken(), count >= 0, count < 10_000_000 else {
                    throw PDFError("bad xref subsection")
                }
                for number in start..<(start + count) {
                    guard case .object(.int(let entryOffset)) = try lexer.nextToken(), case .object(.int) = try lexer.nextToken(),
                        case .keyword(let kind) = try lexer.nextToken()
                    else { throw PDFError("bad xref entry") }
                    if kind == "n", entries[number] == nil, entryOffset > 0 { entries[number] = .offset(entryOffset) }
                }
            default:
                throw PDFError("bad xref table")
            }
        }
    }

    private func readStream(_ stream: PDFStream) throws(PDFError) {
        let data = try decodedData(stream)
        let widths = (stream.dictionary["W"]?.array ?? []).compactMap(\.integer)
        guard widths.count == 3, widths.allSatisfy({ (0...8).contains($0) }) else { throw PDFError("bad /W in an xref stream") }
        let rowWidth = widths.reduce(0, +)
        guard rowWidth > 0 else { throw PDFError("bad /W in an xref stream") }
        let size = stream.dictionary["Size"]?.integer ?? 0
        let index = (stream.dictionary["Index"]?.array ?? [.int(0), .int(size)]).compactMap(\.integer).map { min(max($0, 0), 10_000_000) }
        var row = 0
        for pair in stride(from: 0, to: index.count - 1, by: 2) {
            for number in index[pair]..<(index[pair] + max(0, index[pair + 1])) {
                let base = row * rowWidth
                guard base + rowWidth <= data.count else { return }
                row += 1
                func field(_ which: Int) -> Int {
                    let start = base + widths[..<which].reduce(0, +)
                    return data[start..<(start + widths[which])].reduce(0) { $0 << 8 | Int($1) }
                }
                let type = widths[0] == 0 ? 1 : field(0)
                guard entries[number] == nil else { continue }
                switch type {
                case 1: entries[number] = .offset(field(1))
                case 2: entries[number] = .compressed(stream: field(1), index: field(2))
                default: continue
                }
            }
        }
    }

    /// Rebuilds the cross-reference data by scanning for `n g obj` (later copies win, as later
    /// updates do) and for `trailer` dictionaries; fills object-stream entries from the streams found.
    func scan() {
        guard !markScanned() else { return }
        var found: [Int: Int] = [:]
        let keyword = Array("obj".utf8)
        var index = 0
        while let hit = Self.find(keyword, in: bytes[index...]) {
            index = hit + 3
            if let start = objectHeaderStart(endingAt: hit) {
                let number = headerNumber(from: start)
                found[number] = start
            }
        }
        var objectStreams: [Int] = []
        for (number, offset) in found {
            entries[number] = .offset(offset)
            if Self.find(Array("/ObjStm".utf8), in: bytes[offset..<min(bytes.count, offset + 512)]) != nil {
                objectStreams.append(number)
            }
        }
        for streamNumber in objectStreams.sorted() {
            guard case .stream(let stream)? = try? parseIndirectObject(at: found[streamNumber] ?? 0).1,
                let data = try? decodedData(stream)
            else { continue }
            var lexer = PDFLexer(data[...])
            for position in 0..<max(0, min(stream.dictionary["N"]?.integer ?? 0, 1_000_000)) {
                guard case .object(.int(let number))? = try? lexer.nextToken(), case .object(.int)? = try? lexer.nextToken() else { break }
                if found[number] == nil { entries[number] = .compressed(stream: streamNumber, index: position) }
            }
        }
        var trailerIndex = 0
        let trailerKeyword = Array("trailer".utf8)
        while let hit = Self.find(trailerKeyword, in: bytes[trailerIndex...]) {
            trailerIndex = hit + 7
            var lexer = PDFLexer(bytes[...], position: trailerIndex)
            if let dictionary = (try? lexer.nextObject())?.dictionary {
                for (key, value) in dictionary { trailer[key] = value }
            }
        }
        if catalog == nil {
            // No usable trailer (xref-stream files keep theirs in a stream): look for the catalog.
            for (number, _) in found.sorted(by: { $0.key < $1.key }) {
                let reference = PDFReference(number: number, generation: 0)
                if resolve(reference).dictionary?["Type"]?.name == "Catalog" {
                    trailer["Root"] = .reference(reference)
                    break
                }
            }
        }
    }

    /// Where `n g ` begins before an `obj` keyword at `keyword`, or nil when this is not a header.
    private func objectHeaderStart(endingAt keyword: Int) -> Int? {
        if keyword + 3 < bytes.count, !PDFLexer.isWhitespace(bytes[keyword + 3]), !PDFLexer.isDelimiter(bytes[keyword + 3]) { return nil }
        var position = keyword - 1
        func skipBlanks() -> Bool {
            let start = position
            while position >= 0, PDFLexer.isWhitespace(bytes[position]) { position -= 1 }
            return position < start
        }
        func skipDigits() -> Bool {
            let start = position
            while position >= 0, (0x30...0x39).contains(bytes[position]) { position -= 1 }
            return position < start
        }
        guard skipBlanks(), skipDigits(), skipBlanks(), skipDigits() else { return nil }
        if position >= 0, !PDFLexer.isWhitespace(bytes[position]), !PDFLexer.isDelimiter(bytes[position]) { return nil }
        return position + 1
    }

    private func headerNumber(from start: Int) -> Int {
        var value = 0
        var position = start
        while position < bytes.count, (0x30...0x39).contains(bytes[position]), value < 100_000_000 {
            value = value * 10 + Int(bytes[position] - 0x30)
            position += 1
        }
        return value
    }
}
