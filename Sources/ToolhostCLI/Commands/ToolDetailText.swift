import Registry
import ToolhostCore

/// The human view of one tool for `toolhost tools show`.
enum ToolDetailText {
    static func render(_ detail: ToolDetail) -> String {
        let tool = detail.definition
        let annotations = tool.annotations
        var lines = [
            "\(detail.name) \(detail.version) — \(tool.title)",
            "",
            tool.description,
            "",
            "package     \(detail.package) (\(detail.runtime.type.rawValue), \(detail.license))",
            "privilege   \(tool.privilegeLevel)\(tool.privilegeLevel.requiresApproval ? " — calls need approval" : "")",
            "hints       read-only: \(annotations.isReadOnly), destructive: \(annotations.isDestructive), "
                + "idempotent: \(annotations.isIdempotent), open world: \(annotations.isOpenWorld)",
            "versions    " + detail.versions.map { $0.version.description + ($0.yanked ? " (yanked)" : "") }.joined(separator: ", "),
        ]
        if let egress = tool.permissions?.network?.egress, !egress.isEmpty {
            lines.append("network     \(egress.joined(separator: ", "))")
        }
        lines += ["", "input", indent(tool.inputSchema.serialized(pretty: true)), "", "output", indent(tool.outputSchema.serialized(pretty: true))]
        for example in tool.examples ?? [] {
            lines += ["", "example: \(example.name)", indent("input:  " + example.input.serialized()), indent("output: " + example.output.serialized())]
        }
        return lines.joined(separator: "\n")
    }

    private static func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
    }
}
