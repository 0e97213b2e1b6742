import Foundation

/// An e-mail as RFC 5322 and MIME write it: headers, then a text part, an HTML part or both as
/// multipart/alternative, and attachments around them as multipart/mixed. Everything is encoded to
/// 7-bit ASCII with CRLF line ends; Bcc recipients are not written.
struct EmailMessage: Sendable {
    struct Attachment: Sendable {
        var filename: String
        var contentType: String
        var data: Data
    }

    var from: String
    var fromName: String?
    var to: [String]
    var cc: [String] = []
    var replyTo: String?
    var subject: String
    var text: String?
    var html: String?
    var attachments: [Attachment] = []
    var date = Date()
    /// With its angle brackets: `<…@example.com>`.
    var messageID: String

    /// A new Message-ID in the sender's domain.
    static func newMessageID(sender: String) -> String {
        let domain = sender.split(separator: "@").last.map(String.init) ?? "toolhost.invalid"
        return "<\(UUID().uuidString.lowercased())@\(domain)>"
    }

    /// The message as sent over SMTP.
    func rendered() -> Data {
        var lines = [
            "Date: \(Self.dateText(date))",
            "From: \(MIMEEncoding.mailbox(from, name: fromName))",
            MIMEEncoding.addressHeader("To", to),
        ]
        if !cc.isEmpty { lines.append(MIMEEncoding.addressHeader("Cc", cc)) }
        if let replyTo { lines.append("Reply-To: \(replyTo)") }
        lines.append(MIMEEncoding.unstructuredHeader("Subject", subject))
        lines.append("Message-ID: \(messageID)")
        lines.append("MIME-Version: 1.0")
        let entity = body()
        return Data((lines + entity.headers).joined(separator: "\r\n").appending("\r\n\r\n").appending(entity.body).utf8)
    }

    /// A MIME entity: its Content-* header lines and its encoded body.
    private struct Entity {
        var headers: [String]
        var body: String
    }

    private func body() -> Entity {
        var content: Entity
        switch (text, html) {
        case (let text?, let html?):
            content = Self.multipart("alternative", [Self.textPart(text, subtype: "plain"), Self.textPart(html, subtype: "html")])
        case (nil, let html?):
            content = Self.textPart(html, subtype: "html")
        default:
            content = Self.textPart(text ?? "", subtype: "plain")
        }
        guard !attachments.isEmpty else { return content }
        return Self.multipart("mixed", [content] + attachments.map(Self.attachmentPart))
    }

    private static func textPart(_ text: String, subtype: String) -> Entity {
        Entity(headers: ["Content-Type: text/\(subtype); charset=utf-8", "Content-Transfer-Encoding: quoted-printable"],
               body: MIMEEncoding.quotedPrintable(text))
    }

    private static func attachmentPart(_ attachment: Attachment) -> Entity {
        Entity(headers: [
            "Content-Type: \(attachment.contentType)\(MIMEEncoding.parameter("name", attachment.filename))",
            "Content-Disposition: attachment\(MIMEEncoding.parameter("filename", attachment.filename))",
            "Content-Transfer-Encoding: base64",
        ], body: MIMEEncoding.base64Lines(attachment.data))
    }

    /// `=_` cannot occur in quoted-printable or base64 text, so the boundary cannot occur in a part.
    private static func multipart(_ subtype: String, _ parts: [Entity]) -> Entity {
        let boundary = "=_toolhost_\(UUID().uuidString.lowercased())"
        var body = ""
        for part in parts {
            body += "--\(boundary)\r\n" + part.headers.joined(separator: "\r\n") + "\r\n\r\n" + part.body + "\r\n"
        }
        body += "--\(boundary)--\r\n"
        return Entity(headers: ["Content-Type: multipart/\(subtype);\r\n boundary=\"\(boundary)\""], body: body)
    }

    /// RFC 5322 date-time in UTC: `Tue, 05 Mar 2024 09:07:00 +0000`.
    static func dateText(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
