import ToolhostCore

/// How template_render writes JSON values as text: strings as is, numbers in their shortest JSON
/// form (ECMAScript's Number-to-String, so 3.0 is `3` and 1e21 is `1e+21`), booleans as `true`/`false`,
/// null as nothing, arrays and objects as compact JSON with sorted keys.
enum MustacheValueText {
    static func text(of value: JSONValue) -> String {
        switch value {
        case .string(let string): return string
        case .null: return ""
        default: return json(value)
        }
    }

    /// Compact JSON whose numbers use ``number(_:)``.
    static func json(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let integer): return String(integer)
        case .double(let double): return number(double)
        case .string: return value.serialized()
        case .array(let elements): return "[" + elements.map(json).joined(separator: ",") + "]"
        case .object(let members):
            let pairs = members.keys.sorted().map { JSONValue.string($0).serialized() + ":" + json(members[$0]!) }
            return "{" + pairs.joined(separator: ",") + "}"
        }
    }

    /// The shortest digits that read back as `value`, laid out as ECMAScript's Number::toString does:
    /// plain notation for exponents from -7 to 20, otherwise `d.ddde±x`.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == 0 { return "0" }
        let sign = value < 0 ? "-" : ""
        // Swift's description already has the shortest round-tripping digits; only the layout differs.
        let description = value.magnitude.description
        var mantissa = Substring(description)
        var exponent = 0
        if let marker = description.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = description[..<marker]
            exponent = Int(String(description[description.index(after: marker)...].filter { $0 != "+" })) ?? 0
        }
        let parts = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        var digits = Array(parts[0].utf8) + (parts.count > 1 ? Array(parts[1].utf8) : [])
        // value = 0.digits × 10^point
        var point = parts[0].utf8.count + exponent
        while let first = digits.first, first == UInt8(ascii: "0") {
            digits.removeFirst()
            point -= 1
        }
        while let last = digits.last, last == UInt8(ascii: "0") { digits.removeLast() }
        guard !digits.isEmpty else { return "0" }
        let count = digits.count
        let text = String(decoding: digits, as: UTF8.self)
        if count <= point && point <= 21 {
            return sign + text + String(repeating: "0", count: point - count)
        }
        if 0 < point && point <= 21 {
            return sign + String(text.prefix(point)) + "." + String(text.dropFirst(point))
        }
        if -6 < point && point <= 0 {
            return sign + "0." + String(repeating: "0", count: -point) + text
        }
        let shown = point - 1
        let exponentText = (shown < 0 ? "-" : "+") + String(shown.magnitude)
        if count == 1 { return sign + text + "e" + exponentText }
        return sign + String(text.prefix(1)) + "." + String(text.dropFirst()) + "e" + exponentText
    }

    /// Escapes exactly `&`, `<`, `>` and `"`, as the template_render contract says.
    static func appendEscaped(_ text: String, to output: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): output.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): output.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): output.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): output.append(contentsOf: "&quot;".utf8)
            default: output.append(byte)
            }
        }
    }
}
