import ToolhostCore

/// `encode_decode`: text to and from base64, base64url, hex and URL percent-encoding.
public struct EncodeDecodeTool: BuiltinTool {
    public let name = "encode_decode"

    public init() {}

    /// Encodes the UTF-8 bytes of `text`, or decodes `text` back to a UTF-8 text.
    /// - Throws: ``ToolFailure`` `invalid_argument` naming `text` when it is not valid in the encoding or
    ///   decodes to bytes that are not UTF-8, or naming `padding`/`form` when given for an encoding they do not apply to.
    public func run(_ input: JSONValue, in context: ToolContext) async throws(ToolFailure) -> JSONValue {
        guard let operation = input["operation"]?.stringValue, operation == "encode" || operation == "decode" else {
            throw ToolFailure(.invalidArgument, "operation: expected \"encode\" or \"decode\"")
        }
        guard let encodingName = input["encoding"]?.stringValue, let encoding = TextEncodingScheme(rawValue: encodingName) else {
            throw ToolFailure(.invalidArgument, "encoding: expected one of \(TextEncodingScheme.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let text = input["text"]?.stringValue else {
            throw ToolFailure(.invalidArgument, "text: expected a string")
        }
        let padding = input["padding"]?.boolValue
        if padding != nil && !encoding.isBase64 {
            throw ToolFailure(.invalidArgument, "padding: applies only to base64 and base64url, not to \(encoding.rawValue)")
        }
        let form = input["form"]?.boolValue ?? false
        if form && encoding != .url {
            throw ToolFailure(.invalidArgument, "form: applies only to the url encoding, not to \(encoding.rawValue)")
        }
        if operation == "encode" {
            let bytes = Array(text.utf8)
            let result = encoding.encode(bytes, padded: padding ?? (encoding == .base64), form: form)
            return ["result": .string(result), "byteLength": .int(bytes.count)]
        }
        let bytes: [UInt8]
        do {
            bytes = try encoding.decode(text, form: form)
        } catch {
            throw ToolFailure(.invalidArgument, "text: not valid \(encoding.rawValue): \(error.reason)")
        }
        guard let result = String(validating: bytes, as: UTF8.self) else {
            let offset = Self.firstInvalidUTF8Offset(bytes)
            throw ToolFailure(
                .invalidArgument,
                "text: the decoded \(bytes.count) bytes are not valid UTF-8 (first bad byte at offset \(offset)); "
                    + "binary data cannot be returned as text: use hash_digest or the file tools with base64 instead")
        }
        return ["result": .string(result), "byteLength": .int(bytes.count)]
    }

    /// The offset of the first byte that does not start or continue a valid UTF-8 sequence.
    private static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int {
        var offset = 0
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput, .error: return offset
            }
        }
    }
}
