import Foundation
import ToolhostCore

/// Typed reads of a network tool's input, applying schema defaults (the host does not fill them
/// in) and re-checking ranges, so a call that bypassed validation still fails with the field's name.
struct NetworkToolInput: Sendable {
    let input: JSONValue

    init(_ input: JSONValue) throws(ToolFailure) {
        guard case .object = input else { throw ToolFailure(.invalidArgument, "the input must be an object") }
        self.input = input
    }

    func has(_ key: String) -> Bool { input[key] != nil }

    func string(_ key: String) throws(ToolFailure) -> String? {
        guard let value = input[key] else { return nil }
        guard let text = value.stringValue else { throw ToolFailure(.invalidArgument, "\(key): expected a string, got \(value.typeName)") }
        return text
    }

    func requiredString(_ key: String) throws(ToolFailure) -> String {
        guard let text = try string(key) else { throw ToolFailure(.invalidArgument, "\(key) is required") }
        return text
    }

    func string(_ key: String, default fallback: String, oneOf allowed: Set<String>) throws(ToolFailure) -> String {
        let text = try string(key) ?? fallback
        guard allowed.contains(text) else {
            throw ToolFailure(.invalidArgument, "\(key): \"\(text)\" is not one of \(allowed.sorted().joined(separator: ", "))")
        }
        return text
    }

    func int(_ key: String, default fallback: Int, in range: ClosedRange<Int>) throws(ToolFailure) -> Int {
        guard let value = input[key] else { return fallback }
        guard let number = value.intValue else { throw ToolFailure(.invalidArgument, "\(key): expected an integer, got \(value.typeName)") }
        guard range.contains(number) else {
            throw ToolFailure(.invalidArgument, "\(key): \(number) is outside \(range.lowerBound)…\(range.upperBound)")
        }
        return number
    }

    func bool(_ key: String, default fallback: Bool) throws(ToolFailure) -> Bool {
        guard let value = input[key] else { return fallback }
        guard let flag = value.boolValue else { throw ToolFailure(.invalidArgument, "\(key): expected a boolean, got \(value.typeName)") }
        return flag
    }

    func strings(_ key: String) throws(ToolFailure) -> [String] {
        guard let value = input[key] else { return [] }
        guard let items = value.arrayValue else { throw ToolFailure(.invalidArgument, "\(key): expected an array, got \(value.typeName)") }
        var strings: [String] = []
        for (index, item) in items.enumerated() {
            guard let text = item.stringValue else {
                throw ToolFailure(.invalidArgument, "\(key)[\(index)]: expected a string, got \(item.typeName)")
            }
            strings.append(text)
        }
        return strings
    }
}

extension NetworkToolInput {
    /// Decodes standard base64, allowing line breaks and spaces between groups but nothing else.
    static func base64(_ text: String) -> Data? {
        Data(base64Encoded: String(text.filter { !$0.isWhitespace }))
    }
}
