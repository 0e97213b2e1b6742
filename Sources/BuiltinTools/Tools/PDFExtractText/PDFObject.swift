/// A PDF object (PDF 32000-1 §7.3), as parsed from the file or a content stream.
indirect enum PDFObject {
    case null
    case bool(Bool)
    case int(Int)
    case real(Double)
    /// A string's bytes; how they map to characters depends on where it is used.
    case string([UInt8])
    case name(String)
    case array([PDFObject])
    case dictionary([String: PDFObject])
    case stream(PDFStream)
    case reference(PDFReference)

    /// The dictionary of a dictionary or of a stream.
    var dictionary: [String: PDFObject]? {
        switch self {
        case .dictionary(let entries): entries
        case .stream(let stream): stream.dictionary
        default: nil
        }
    }

    var number: Double? {
        switch self {
        case .int(let value): Double(value)
        case .real(let value): value
        default: nil
        }
    }

    var integer: Int? {
        switch self {
        case .int(let value): value
        case .real(let value) where value.isFinite && abs(value) < 1e15: Int(value)
        default: nil
        }
    }

    var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    var name: String? {
        if case .name(let value) = self { return value }
        return nil
    }

    var array: [PDFObject]? {
        if case .array(let value) = self { return value }
        return nil
    }

    var bytes: [UInt8]? {
        if case .string(let value) = self { return value }
        return nil
    }

    var reference: PDFReference? {
        if case .reference(let value) = self { return value }
        return nil
    }
}

/// An indirect reference `n g R`.
struct PDFReference: Hashable {
    var number: Int
    var generation: Int
}

/// A stream: its dictionary and its bytes as stored (still filtered, and encrypted if the file is).
struct PDFStream {
    var dictionary: [String: PDFObject]
    var data: ArraySlice<UInt8>
    /// The object the stream is, for decryption (whose key depends on it); nil in object streams.
    var owner: PDFReference?
}

/// Why a PDF could not be read, in words for the caller.
struct PDFError: Error {
    var message: String
    /// Set when a decompression limit stopped the decoding (a bomb), not damage in the file.
    var isSizeLimit = false

    init(_ message: String) {
        self.message = message
    }

    /// A stream that decodes to more than `limit` bytes.
    static func decodesPast(_ limit: Int) -> PDFError {
        var error = PDFError("a stream decompresses to more than \(limit) bytes")
        error.isSizeLimit = true
        return error
    }
}
