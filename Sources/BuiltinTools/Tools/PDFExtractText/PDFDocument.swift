/// A parsed PDF file: its cross-reference data and the objects it resolves on demand.
///
/// Reads classic xref tables and xref streams, follows `/Prev` through incremental updates (newer
/// sections win), loads objects from object streams, and when the cross-reference data is missing
/// or wrong rebuilds it by scanning the file for `n g obj`. A class, because resolving caches
/// objects; it lives for one call only.
final class PDFDocument {
    let bytes: [UInt8]
    var trailer: [String: PDFObject] = [:]
    var entries: [Int: Entry] = [:]
    private var cache: [Int: PDFObject] = [:]
    private var resolving: Set<Int> = []
    private var objectStreams: [Int: [Int: PDFObject]] = [:]
    private var scanned = false
    var security: PDFSecurity?
    /// The most bytes any one stream may decode to.
    let streamLimit: Int
    /// The most bytes all streams together may decode to over the call: a page that names one
    /// large stream many times, or many pages that share it, decode it each time.
    let decodeBudget: Int
    /// Bytes decoded so far.
    private(set) var decodedBytes = 0
    /// Set once a decode was refused for its size (past ``streamLimit`` or ``decodeBudget``): the
    /// text would be incomplete, so the call fails with the limit rather than dropping it quietly.
    private(set) var decodeLimitHit = false

    enum Entry {
        case offset(Int)
        case compressed(stream: Int, index: Int)
    }

    /// Parses the cross-reference data of `bytes` (or rebuilds it).
    /// - Throws: ``PDFError`` when the file is not a PDF or has no document catalog.
    init(bytes: [UInt8], streamLimit: Int = 256 << 20, decodeBudget: Int = 1 << 30) throws(PDFError) {
        self.bytes = bytes
        self.streamLimit = streamLimit
        self.decodeBudget = decodeBudget
        guard Self.find(Array("%PDF-".utf8), in: bytes[..<min(bytes.count, 1024)]) != nil else {
            throw PDFError("the data is not a PDF (no %PDF- header)")
        }
        do {
            try readCrossReferences()
        } catch {
            entries = [:]
            trailer = [:]
        }
        if catalog == nil { scan() }
        guard catalog != nil else { throw PDFError("the PDF has no document catalog (/Root), even after scanning the file") }
    }

    /// Records that the file was scanned; true when it already had been.
    func markScanned() -> Bool {
        defer { scanned = true }
        return scanned
    }

    /// Drops every object parsed so far, after decryption was installed: they were read without it.
    func forgetParsedObjects() {
        cache = [:]
        objectStreams = [:]
    }

    /// The document catalog.
    var catalog: [String: PDFObject]? {
        resolve(trailer["Root"] ?? .null).dictionary
    }

    /// `object` itself, or the object a reference points to (null when missing).
    func resolve(_ object: PDFObject) -> PDFObject {
        guard case .reference(let reference) = object else { return object }
        return resolve(reference)
    }

    func resolve(_ reference: PDFReference) -> PDFObject {
        if let cached = cache[reference.number] { return cached }
        guard resolving.insert(reference.number).inserted else { return .null }
        defer { resolving.remove(reference.number) }
        var object = load(reference.number)
        if object == nil, !scanned {
            scan()
            object = load(reference.number)
        }
        let resolved = object ?? .null
        cache[reference.number] = resolved
        return resolved
    }

    /// A dictionary entry, resolved.
    func value(_ dictionary: [String: PDFObject]?, _ key: String) -> PDFObject {
        resolve(dictionary?[key] ?? .null)
    }

    /// The decoded (decrypted, unfiltered) bytes of a stream.
    func decodedData(_ stream: PDFStream) throws(PDFError) -> [UInt8] {
        var data = Array(stream.data)
        if let security, let owner = stream.owner, value(stream.dictionary, "Type").name != "XRef" {
            data = security.decrypt(data, object: owner)
        }
        let filterObject = value(stream.dictionary, "Filter")
        let filters = filterObject.array?.compactMap { resolve($0).name } ?? filterObject.name.map { [$0] } ?? []
        let parmsObject = value(stream.dictionary, "DecodeParms")
        let parameters: [[String: PDFObject]?] =
            parmsObject.array?.map { resolve($0).dictionary } ?? [parmsObject.dictionary]
        let room = decodeBudget - decodedBytes
        do {
            let decoded = try PDFFilters.decode(data, filters: filters, parameters: parameters, limit: min(streamLimit, max(room, 0)))
            decodedBytes += decoded.count
            return decoded
        } catch {
            if error.isSizeLimit { decodeLimitHit = true }
            throw error
        }
    }

    // MARK: - Loading objects

    private func load(_ number: Int) -> PDFObject? {
        switch entries[number] {
        case .offset(let offset)?:
            if let (found, object) = try? parseIndirectObject(at: offset), found == number { return object }
            return nil
        case .compressed(let stream, let index)?:
            return objectFromStream(stream, index: index, number: number)
        case nil:
            return nil
        }
    }

    /// Parses `n g obj … endobj` at `offset`: the object number and the object.
    func parseIndirectObject(at offset: Int) throws(PDFError) -> (Int, PDFObject) {
        guard offset >= 0, offset < bytes.count else { throw PDFError("offset \(offset) is outside the file") }
        var lexer = PDFLexer(bytes[...], position: offset)
        guard case .object(.int(let number)) = try lexer.nextToken(),
            case .object(.int(let generation)) = try lexer.nextToken(),
            case .keyword("obj") = try lexer.nextToken()
        else { throw PDFError("no object header at offset \(offset)") }
        let owner = PDFReference(number: number, generation: generation)
        var object = try lexer.nextObject()
        let afterObject = lexer.position
        if case .dictionary(let dictionary) = object, case .keyword("stream") = try lexer.nextToken() {
            object = .stream(streamBody(dictionary, from: lexer.position, owner: owner))
        } else {
            lexer.position = afterObject
            if let security { object = security.decryptStrings(in: object, object: owner) }
        }
        return (number, object)
    }

    /// The data of a stream whose `stream` keyword ends at `start`: `/Length` bytes when `endstream`
    /// follows them, else up to the next `endstream`.
    private func streamBody(_ dictionary: [String: PDFObject], from start: Int, owner: PDFReference) -> PDFStream {
        var dataStart = start
        if dataStart < bytes.count, bytes[dataStart] == 0x0D { dataStart += 1 }
        if dataStart < bytes.count, bytes[dataStart] == 0x0A { dataStart += 1 }
        let endKeyword = Array("endstream".utf8)
        var length: Int?
        switch dictionary["Length"] {
        case .int(let value)?: length = value
        // An indirect length: resolving it may need this very object, which `resolving` guards.
        case .reference(let reference)?: length = resolve(reference).integer
        default: break
        }
        if let length, length >= 0, length <= bytes.count - dataStart {
            var after = dataStart + length
            while after < bytes.count, PDFLexer.isWhitespace(bytes[after]) { after += 1 }
            if bytes[after...].starts(with: endKeyword) {
                return PDFStream(dictionary: dictionary, data: bytes[dataStart..<(dataStart + length)], owner: owner)
            }
        }
        var end = Self.find(endKeyword, in: bytes[dataStart...]) ?? bytes.count
        if end > dataStart, bytes[end - 1] == 0x0A { end -= 1 }
        if end > dataStart, bytes[end - 1] == 0x0D { end -= 1 }
        return PDFStream(dictionary: dictionary, data: bytes[dataStart..<max(dataStart, end)], owner: owner)
    }

    private func objectFromStream(_ streamNumber: Int, index: Int, number: Int) -> PDFObject? {
        if objectStreams[streamNumber] == nil {
            objectStreams[streamNumber] = (try? parseObjectStream(streamNumber)) ?? [:]
        }
        return objectStreams[streamNumber]?[number]
    }

    /// All objects of the object stream `streamNumber` (§7.5.7), by object number.
    private func parseObjectStream(_ streamNumber: Int) throws(PDFError) -> [Int: PDFObject] {
        guard case .stream(let stream) = resolve(PDFReference(number: streamNumber, generation: 0)) else { return [:] }
        let data = try decodedData(stream)
        let count = value(stream.dictionary, "N").integer ?? 0
        let first = value(stream.dictionary, "First").integer ?? 0
        var lexer = PDFLexer(data[...])
        var offsets: [(Int, Int)] = []
        for _ in 0..<max(0, min(count, 1_000_000)) {
            guard case .object(.int(let number)) = try lexer.nextToken(), case .object(.int(let offset)) = try lexer.nextToken() else { break }
            offsets.append((number, offset))
        }
        var objects: [Int: PDFObject] = [:]
        guard first >= 0, first < data.count else { return [:] }
        for (number, offset) in offsets where offset >= 0 && offset < data.count - first {
            var objectLexer = PDFLexer(data[...], position: first + offset)
            if let object = try? objectLexer.nextObject() { objects[number] = object }
        }
        return objects
    }

    static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var index = haystack.startIndex
        let last = haystack.endIndex - needle.count
        while index <= last {
            if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    static func findLast(_ needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var index = haystack.endIndex - needle.count
        while index >= haystack.startIndex {
            if haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index -= 1
        }
        return nil
    }
}
