import Foundation
import Sandbox

/// One line of `toolhost doctor`: what was checked, whether it holds, and the fix when it does not.
struct DoctorCheck: Sendable, Encodable {
    enum Status: String, Sendable, Encodable {
        /// Holds.
        case ok
        /// Does not hold, and sandboxed tools cannot run until it is fixed.
        case failed
        /// Does not hold, but only one tool or an optional service needs it.
        case warning
    }

    var name: String
    var status: Status
    var detail: String
    var fix: String?

    /// A check whose failure stops sandboxed tools (`required`) or only degrades something.
    init(_ name: String, _ finding: SandboxDiagnostics.Finding, required: Bool = true) {
        self.name = name
        status = finding.ok ? .ok : (required ? .failed : .warning)
        detail = finding.detail
        fix = finding.ok ? nil : finding.fix
    }

    /// The line as printed: a mark, the name, what was found; the fix on the next line.
    var text: String {
        let mark = switch status {
        case .ok: "✓"
        case .failed: "✗"
        case .warning: "!"
        }
        let line = "\(mark) \(name.padding(toLength: 18, withPad: " ", startingAt: 0)) \(detail)"
        return fix.map { line + "\n    fix: \($0)" } ?? line
    }
}
