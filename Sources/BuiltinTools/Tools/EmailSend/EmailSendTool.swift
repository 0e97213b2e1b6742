import Foundation
import ToolhostCore

/// `email_send`: builds a MIME message (text, HTML or both, attachments) and sends it through the
/// operator's SMTP server, reporting which recipients the server accepted.
struct EmailSendTool: BuiltinTool {
    let name = "email_send"

    static let maximumAttachments = 10
    static let maximumAttachmentBytes = 10 << 20

    func run(_ input: JSONValue, in context: ToolContext) async throws(ToolFailure) -> JSONValue {
        let fields = try NetworkToolInput(input)
        guard let settings = context.configuration.smtp else {
            throw ToolFailure(.notConfigured, "email_send needs an SMTP server: the host's smtp settings (host, port, sender) are not configured")
        }
        let to = try Self.addresses(fields, "to")
        guard !to.isEmpty else { throw ToolFailure(.invalidArgument, "to: give at least one recipient") }
        let cc = try Self.addresses(fields, "cc")
        let bcc = try Self.addresses(fields, "bcc")
        let sender = try fields.string("from") ?? settings.sender
        try Self.checkAddress(sender, field: fields.has("from") ? "from" : "smtp.sender")
        let replyTo = try fields.string("replyTo")
        if let replyTo { try Self.checkAddress(replyTo, field: "replyTo") }
        let subject = try fields.requiredString("subject")
        let fromName = try fields.string("fromName")
        for (field, value) in [("subject", subject), ("fromName", fromName ?? "")] where value.contains(where: \.isNewline) {
            throw ToolFailure(.invalidArgument, "\(field): must be a single line")
        }
        let text = try fields.string("text")
        let html = try fields.string("html")
        guard text != nil || html != nil else { throw ToolFailure(.invalidArgument, "text or html: give at least one of them") }
        let password: String? = if settings.username != nil { try context.secret("SMTP_PASSWORD") } else { nil }

        let message = EmailMessage(
            from: sender, fromName: fromName, to: to, cc: cc, replyTo: replyTo, subject: subject, text: text, html: html,
            attachments: try Self.attachments(input["attachments"], workspace: context.workspace),
            messageID: EmailMessage.newMessageID(sender: sender))
        var recipients: [String] = []
        for address in to + cc + bcc where !recipients.contains(address) { recipients.append(address) }
        let delivery = SMTPDelivery(settings: settings, password: password, policy: context.configuration.network)
        let outcome = try await delivery.send(message.rendered(), from: sender, to: recipients,
                                              timeoutMs: Int(context.timeoutSeconds(fallback: 60) * 1000))
        return [
            "messageId": .string(message.messageID),
            "accepted": .array(outcome.accepted.map(JSONValue.string)),
            "rejected": .array(outcome.rejected.map { ["address": .string($0.address), "reason": .string($0.reason)] }),
        ]
    }

    private static func addresses(_ fields: NetworkToolInput, _ key: String) throws(ToolFailure) -> [String] {
        let addresses = try fields.strings(key)
        for (index, address) in addresses.enumerated() { try checkAddress(address, field: "\(key)[\(index)]") }
        return addresses
    }

    /// A plain address as the schema's pattern has it (`local@domain`, no spaces, brackets, commas,
    /// semicolons or quotes), which also keeps it from breaking out of a header or SMTP command.
    static func checkAddress(_ address: String, field: String) throws(ToolFailure) {
        let forbidden = Set<Character>(["<", ">", ",", ";", "\"", "@"])
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        let valid = parts.count == 2 && parts.allSatisfy { part in
            !part.isEmpty && !part.contains { $0.isWhitespace || forbidden.contains($0) || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } == true }
        }
        guard valid else { throw ToolFailure(.invalidArgument, "\(field): \"\(address)\" is not a plain e-mail address (local@domain)") }
    }

    /// The attachments' bytes, from the workspace or from base64, with their types.
    static func attachments(_ value: JSONValue?, workspace: Workspace) throws(ToolFailure) -> [EmailMessage.Attachment] {
        guard let value else { return [] }
        guard let items = value.arrayValue else { throw ToolFailure(.invalidArgument, "attachments: expected an array, got \(value.typeName)") }
        guard items.count <= maximumAttachments else {
            throw ToolFailure(.invalidArgument, "attachments: at most \(maximumAttachments) attachments, got \(items.count)")
        }
        var attachments: [EmailMessage.Attachment] = []
        var total = 0
        for (index, item) in items.enumerated() {
            let field = "attachments[\(index)]"
            guard let filename = item["filename"]?.stringValue, !filename.isEmpty else {
                throw ToolFailure(.invalidArgument, "\(field).filename is required")
            }
            guard !filename.contains(where: { $0 == "/" || $0 == "\\" || $0.isNewline }) else {
                throw ToolFailure(.invalidArgument, "\(field).filename: \"\(filename)\" must be a bare file name")
            }
            let data: Data
            switch (item["path"]?.stringValue, item["contentBase64"]?.stringValue) {
            case (let path?, nil):
                data = try workspace.read(WorkspacePath(path, field: "\(field).path"), maxBytes: maximumAttachmentBytes - total)
            case (nil, let base64?):
                guard let decoded = NetworkToolInput.base64(base64) else {
                    throw ToolFailure(.invalidArgument, "\(field).contentBase64: not valid base64")
                }
                data = decoded
            default:
                throw ToolFailure(.invalidArgument, "\(field): give exactly one of path and contentBase64")
            }
            total += data.count
            guard total <= maximumAttachmentBytes else {
                throw ToolFailure(.tooLarge, "attachments: \(maximumAttachmentBytes) bytes in total at most; \(field) brings them to \(total)")
            }
            let contentType = item["contentType"]?.stringValue ?? guessedType(filename)
            guard !contentType.contains(where: \.isNewline), contentType.contains("/") else {
                throw ToolFailure(.invalidArgument, "\(field).contentType: \"\(contentType)\" is not a MIME type")
            }
            attachments.append(.init(filename: filename, contentType: contentType, data: data))
        }
        return attachments
    }

    /// The MIME type of common file extensions; application/octet-stream otherwise.
    static func guessedType(_ filename: String) -> String {
        let types = [
            "txt": "text/plain", "md": "text/markdown", "csv": "text/csv", "html": "text/html", "htm": "text/html",
            "ics": "text/calendar", "json": "application/json", "xml": "application/xml", "pdf": "application/pdf",
            "zip": "application/zip", "gz": "application/gzip", "tar": "application/x-tar", "png": "image/png",
            "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "svg": "image/svg+xml", "webp": "image/webp",
            "mp3": "audio/mpeg", "wav": "audio/wav", "mp4": "video/mp4",
            "doc": "application/msword", "xls": "application/vnd.ms-excel",
            "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ]
        let fileExtension = filename.split(separator: ".").count > 1 ? filename.split(separator: ".").last.map { $0.lowercased() } : nil
        return fileExtension.flatMap { types[$0] } ?? "application/octet-stream"
    }
}
