/// Says where a `DecodingError` happened, as a field path people read (`mounts.readOnly[0]`),
/// instead of dumping the error's coding path.
extension DecodingError {
    /// `field: what went wrong`, e.g. `maxPrivilege: expected Int`; the root is `(root)`.
    public var fieldDescription: String {
        func path(_ codingPath: [any CodingKey]) -> String {
            let text = codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.hasPrefix(".") ? String(text.dropFirst()) : (text.isEmpty ? "(root)" : text)
        }
        switch self {
        case .keyNotFound(let key, let context): return "\(path(context.codingPath + [key])): required field missing"
        case .typeMismatch(let type, let context): return "\(path(context.codingPath)): expected \(type)"
        case .valueNotFound(let type, let context): return "\(path(context.codingPath)): expected \(type), got null"
        case .dataCorrupted(let context): return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default: return "\(self)"
        }
    }
}
