import CCurl
import Foundation

/// Hands a message to the configured SMTP server through libcurl, under the same network rules
/// as the HTTP tools, and learns from the SMTP dialog which recipients the server accepted.
struct SMTPDelivery: Sendable {
    var settings: SMTPSettings
    /// The `SMTP_PASSWORD` secret, when the settings name a user.
    var password: String?
    var policy: NetworkPolicy

    /// What the server said to each recipient.
    struct Outcome: Sendable {
        var accepted: [String]
        var rejected: [(address: String, reason: String)]
    }

    /// Sends `message` from `sender` to `recipients` (each once, in order).
    /// - Throws: ``ToolFailure``: `denied` when the network rules refuse the server, `timeout`,
    ///   `upstream_error` when the server cannot be reached, refuses the login, the sender, the
    ///   message, or every recipient.
    func send(_ message: Data, from sender: String, to recipients: [String], timeoutMs: Int) async throws(ToolFailure) -> Outcome {
        let host = settings.host.contains(":") ? "[\(settings.host)]" : settings.host
        let scheme = settings.security == .tls ? "smtps" : "smtp"
        let target = try URLTarget("\(scheme)://\(host):\(settings.port)", field: "smtp.host", schemes: ["smtp", "smtps"])
        // `${SMTP_HOST}` in the manifest's egress is this very host, so only the operator's rules remain.
        try DestinationRules(policy: policy, egress: ["*"]).check(target, field: "smtp.host")
        let transfer = try CurlTransfer(target: target, policy: try AddressGuard(policy: policy), protocols: "smtp,smtps", timeoutMs: timeoutMs)
        let dialog = SMTPDialog(message: message)
        let easy = transfer.easy
        try easy.set(CURLOPT_MAIL_FROM, "<\(sender)>")
        try easy.set(CURLOPT_MAIL_RCPT, list: recipients.map { "<\($0)>" })
        // Go on past refused recipients, so that the others still get the message.
        try easy.check(toolhost_curl_setopt_mail_rcpt_allowfails(easy.handle, 1), CURLOPT_MAIL_RCPT_ALLLOWFAILS)
        try easy.set(CURLOPT_USE_SSL, Int(settings.security == .none ? CURLUSESSL_NONE.rawValue : CURLUSESSL_ALL.rawValue))
        if let username = settings.username {
            try easy.set(CURLOPT_USERNAME, username)
            try easy.set(CURLOPT_PASSWORD, password ?? "")
        }
        try easy.set(CURLOPT_UPLOAD, 1)
        try easy.set(CURLOPT_INFILESIZE_LARGE, offset: message.count)
        try dialog.attach(to: easy)

        let code = await transfer.perform()
        let server = "the SMTP server \(target.host):\(target.port)"
        if code != CURLE_OK && dialog.accepted.isEmpty && !dialog.rejected.isEmpty {
            let reasons = dialog.rejected.map { "\($0.address) (\($0.reason))" }.joined(separator: ", ")
            throw ToolFailure(.upstream, "\(server) refused every recipient: \(reasons)")
        }
        guard code == CURLE_OK else {
            let failure = transfer.failure(for: code, action: "sending through \(server)", timeout: "\(timeoutMs) ms (email_send's time limit)")
            guard failure.kind == .upstream, let reply = dialog.lastReply, !reply.hasPrefix("2"), !reply.hasPrefix("3") else { throw failure }
            throw ToolFailure(.upstream, "\(failure.message); the server's last reply: \(reply)")
        }
        return Outcome(accepted: dialog.accepted, rejected: dialog.rejected)
    }
}

/// Feeds the message to curl and follows the SMTP dialog through curl's debug callback: the reply
/// after each `RCPT TO` tells whether that recipient was accepted.
///
/// `@unchecked Sendable`: used by the curl thread during the transfer, read after it.
final class SMTPDialog: @unchecked Sendable {
    private(set) var accepted: [String] = []
    private(set) var rejected: [(address: String, reason: String)] = []
    /// The server's last complete reply line.
    private(set) var lastReply: String?
    private var pendingRecipient: String?
    private let message: Data
    private var offset = 0

    init(message: Data) {
        self.message = message
    }

    func attach(to easy: CurlEasy) throws(ToolFailure) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        try easy.set(CURLOPT_READDATA, pointer: context)
        try easy.set(CURLOPT_READFUNCTION, callback: SMTPDialog.read)
        try easy.set(CURLOPT_DEBUGDATA, pointer: context)
        try easy.check(toolhost_curl_setopt_debug_function(easy.handle, SMTPDialog.debug), CURLOPT_DEBUGFUNCTION)
        // The debug callback only runs in verbose mode; with it set, nothing goes to stderr.
        try easy.set(CURLOPT_VERBOSE, 1)
    }

    private func sent(_ line: String) {
        guard line.uppercased().hasPrefix("RCPT TO:"), let open = line.firstIndex(of: "<"), let close = line.lastIndex(of: ">"),
              open < close else { return }
        pendingRecipient = String(line[line.index(after: open)..<close])
    }

    private func received(_ line: String) {
        // `250-…` continues a multi-line reply; `250 …` (or a bare code) ends it.
        guard line.count >= 3, line.count == 3 || line[line.index(line.startIndex, offsetBy: 3)] == " " else { return }
        lastReply = line
        guard let recipient = pendingRecipient else { return }
        pendingRecipient = nil
        if line.hasPrefix("2") {
            accepted.append(recipient)
        } else {
            rejected.append((recipient, line))
        }
    }

    private static let read: curl_write_callback = { buffer, size, count, context in
        guard let buffer, let context else { return 0 }
        let dialog = Unmanaged<SMTPDialog>.fromOpaque(context).takeUnretainedValue()
        let length = min(size * count, dialog.message.count - dialog.offset)
        guard length > 0 else { return 0 }
        dialog.message.withUnsafeBytes { raw in
            UnsafeMutableRawPointer(buffer).copyMemory(from: raw.baseAddress! + dialog.offset, byteCount: length)
        }
        dialog.offset += length
        return length
    }

    private static let debug: curl_debug_callback = { _, type, data, size, context in
        guard let data, let context, type == CURLINFO_HEADER_IN || type == CURLINFO_HEADER_OUT else { return 0 }
        let dialog = Unmanaged<SMTPDialog>.fromOpaque(context).takeUnretainedValue()
        let text = data.withMemoryRebound(to: UInt8.self, capacity: size) {
            String(decoding: UnsafeBufferPointer(start: $0, count: size), as: UTF8.self)
        }
        for line in text.split(whereSeparator: { $0 == "\r\n" || $0 == "\n" || $0 == "\r" }) {
            if type == CURLINFO_HEADER_OUT { dialog.sent(String(line)) } else { dialog.received(String(line)) }
        }
        return 0
    }
}
