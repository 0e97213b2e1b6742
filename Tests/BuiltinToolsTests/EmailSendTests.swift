@testable import BuiltinTools
import Foundation
import TestSupport
import Testing
import ToolhostCore

@Suite("email_send sends MIME mail through the configured SMTP server")
struct EmailSendTests {
    let tool = EmailSendTool()

    @Test("every manifest example holds")
    func examples() async throws {
        let failures = try await ExampleHarness().failures(of: "email_send")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    /// A context whose SMTP server is `peer`, logging in as `toolhost`.
    func context(_ peer: SMTPPeer, password: String? = "s3cret", username: String? = "toolhost") throws -> ToolContext {
        try NetworkTest.loopbackContext(secrets: password.map { ["SMTP_PASSWORD": $0] } ?? [:], timeoutMs: 60000) {
            $0.smtp = SMTPSettings(host: "127.0.0.1", port: peer.port, username: username, sender: "toolhost@example.test", security: .none)
        }
    }

    @Test("the server receives the headers, recipients, alternatives and attachments, and decodes a non-ASCII subject")
    func messageAsReceived() async throws {
        try await SMTPPeer.running { peer in
            let context = try context(peer)
            try context.workspace.write(Data("col1,col2\n1,2\n".utf8), to: WorkspacePath("data/report.csv", field: "path"),
                                        mode: .createNew, createParents: true)
            let subject = "Grüße aus Zürich — Bericht №7 " + Array(repeating: "ünïcödé", count: 12).joined(separator: " ")
            let text = "Hallo Ärger,\n.\n.hidden line\nFrom the start\nTrailing space \n" + String(repeating: "long ", count: 40) + "\n"
            let output = try await tool.run([
                "to": ["alice@example.com", "bob@example.com"], "cc": ["carol@example.org"], "bcc": ["audit@example.org"],
                "subject": .string(subject), "text": .string(text), "html": "<p>Hallo <b>Ärger</b></p>",
                "from": "reports@example.test", "fromName": "Zoë Reporter", "replyTo": "replies@example.test",
                "attachments": [
                    ["filename": "report.csv", "path": "data/report.csv"],
                    ["filename": "Übersicht 2024 – sehr lange Datei mit Umlauten äöü und noch mehr Text.bin",
                     "contentBase64": .string(Data([0, 1, 2, 255]).base64EncodedString())],
                ],
            ], in: context)
            #expect(output["accepted"] == ["alice@example.com", "bob@example.com", "carol@example.org", "audit@example.org"])
            #expect(output["rejected"] == [])
            let messages = try peer.messages
            let message = try #require(messages.first)
            #expect(messages.count == 1)
            #expect(message["mail_from"] == "reports@example.test")
            #expect(message["rcpt_tos"] == ["alice@example.com", "bob@example.com", "carol@example.org", "audit@example.org"])
            #expect(message["login"] == ["toolhost", "s3cret"])
            let headers = try #require(message["headers"])
            #expect(headers["subject"] == [.string(subject)])
            #expect(headers["from"] == ["Zoë Reporter <reports@example.test>"])
            #expect(headers["to"] == ["alice@example.com, bob@example.com"])
            #expect(headers["cc"] == ["carol@example.org"])
            #expect(headers["reply-to"] == ["replies@example.test"])
            #expect(headers["bcc"] == nil)
            #expect(headers["message-id"] == [output["messageId"]!])
            #expect(headers["mime-version"] == ["1.0"])
            #expect(headers["date"]?[0]?.stringValue?.hasSuffix("+0000") == true)
            #expect(message["structure"] == "multipart/mixed")
            let parts = try #require(message["parts"]?.arrayValue)
            #expect(parts.map { $0["type"] } == ["text/plain", "text/html", "text/csv", "application/octet-stream"])
            #expect(parts[0]["content"]?.stringValue?.replacingOccurrences(of: "\r\n", with: "\n") == text)
            #expect(parts[1]["content"]?.stringValue?.trimmingCharacters(in: .newlines) == "<p>Hallo <b>Ärger</b></p>")
            #expect(parts[2]["filename"] == "report.csv" && parts[2]["disposition"] == "attachment")
            #expect(parts[2]["content"]?.stringValue?.replacingOccurrences(of: "\r\n", with: "\n") == "col1,col2\n1,2\n")
            #expect(parts[3]["filename"] == "Übersicht 2024 – sehr lange Datei mit Umlauten äöü und noch mehr Text.bin")
            #expect(parts[3]["content"] == ["base64": "AAEC/w=="])
            let raw = try #require(message["data"]?.stringValue)
            #expect(raw.components(separatedBy: "\r\n").filter { $0.utf8.count > 78 } == [], "every line is short")
            #expect(raw.unicodeScalars.allSatisfy { $0.isASCII }, "the message is 7-bit")
        }
    }

    @Test("recipients the server refuses are reported with its reply; the others still get the message")
    func partlyRejected() async throws {
        try await SMTPPeer.running { peer in
            let output = try await tool.run(["to": ["alice@example.com", "reject-me@example.com"], "bcc": ["reject-too@example.com"],
                                             "subject": "Hi", "text": "x"], in: try context(peer))
            #expect(output["accepted"] == ["alice@example.com"])
            #expect(output["rejected"] == [
                ["address": "reject-me@example.com", "reason": "550 5.1.1 User unknown"],
                ["address": "reject-too@example.com", "reason": "550 5.1.1 User unknown"],
            ])
            #expect(try peer.messages.first?["rcpt_tos"] == ["alice@example.com"])
        }
    }

    @Test("when every recipient is refused the call fails, naming them and the server's reply")
    func allRejected() async throws {
        try await SMTPPeer.running { peer in
            await NetworkTest.expectFailure(of: tool, ["to": ["reject-a@example.com", "reject-b@example.com"], "subject": "Hi", "text": "x"],
                                            in: try context(peer), kind: .upstream,
                                            mentioning: ["every recipient", "reject-a@example.com", "reject-b@example.com", "550 5.1.1"])
            #expect(try peer.messages.isEmpty)
        }
    }

    @Test("the configured sender is the default, an HTML-only message is text/html, and no login happens without a user")
    func defaultsAndHTMLOnly() async throws {
        try await SMTPPeer.running { peer in
            let output = try await tool.run(["to": ["alice@example.com"], "subject": "Plain ASCII subject", "html": "<p>only html</p>"],
                                            in: try context(peer, password: nil, username: nil))
            let messageID = try #require(output["messageId"]?.stringValue)
            #expect(messageID.hasPrefix("<") && messageID.hasSuffix("@example.test>"))
            let message = try #require(try peer.messages.first)
            #expect(message["mail_from"] == "toolhost@example.test")
            #expect(message["login"] == .null)
            #expect(message["structure"] == "text/html")
            #expect(message["headers"]?["subject"] == ["Plain ASCII subject"])
        }
    }

    @Test("no SMTP settings or no SMTP_PASSWORD for the configured user fail with not_configured")
    func notConfigured() async throws {
        await NetworkTest.expectFailure(of: tool, ["to": ["a@example.com"], "subject": "s", "text": "t"], in: try NetworkTest.context(),
                                        kind: .notConfigured, mentioning: ["smtp"])
        try await SMTPPeer.running { peer in
            await NetworkTest.expectFailure(of: tool, ["to": ["a@example.com"], "subject": "s", "text": "t"], in: try context(peer, password: nil),
                                            kind: .notConfigured, mentioning: ["SMTP_PASSWORD"])
        }
    }

    @Test("the SMTP server is subject to the network rules: loopback is refused unless allowed")
    func serverGuarded() async throws {
        try await SMTPPeer.running { peer in
            let context = try NetworkTest.context(secrets: ["SMTP_PASSWORD": "x"]) {
                $0.smtp = SMTPSettings(host: "127.0.0.1", port: peer.port, sender: "toolhost@example.test", security: .none)
            }
            await NetworkTest.expectFailure(of: tool, ["to": ["a@example.com"], "subject": "s", "text": "t"], in: context,
                                            kind: .denied, mentioning: ["smtp.host", "127.0.0.1", "loopback"])
        }
    }

    @Test("bad addresses, header injection and malformed attachments are refused naming the field")
    func badInput() async throws {
        try await SMTPPeer.running { peer in
            let context = try context(peer)
            let base: [String: JSONValue] = ["to": ["a@example.com"], "subject": "s", "text": "t"]
            func with(_ changes: [String: JSONValue]) -> JSONValue { .object(base.merging(changes) { $1 }) }
            await NetworkTest.expectFailure(of: tool, with(["to": ["Alice <a@example.com>"]]), in: context,
                                            kind: .invalidArgument, mentioning: ["to[0]"])
            await NetworkTest.expectFailure(of: tool, with(["cc": ["a@example.com\r\nBcc: x@evil.example"]]), in: context,
                                            kind: .invalidArgument, mentioning: ["cc[0]"])
            await NetworkTest.expectFailure(of: tool, with(["subject": "Hi\r\nBcc: x@evil.example"]), in: context,
                                            kind: .invalidArgument, mentioning: ["subject"])
            await NetworkTest.expectFailure(of: tool, with(["text": nil]).removingKey("text"), in: context,
                                            kind: .invalidArgument, mentioning: ["text", "html"])
            await NetworkTest.expectFailure(of: tool, with(["attachments": [["filename": "a.txt", "path": "a.txt", "contentBase64": "eA=="]]]),
                                            in: context, kind: .invalidArgument, mentioning: ["attachments[0]", "exactly one"])
            await NetworkTest.expectFailure(of: tool, with(["attachments": [["filename": "a.txt", "contentBase64": "%%%"]]]),
                                            in: context, kind: .invalidArgument, mentioning: ["attachments[0].contentBase64"])
            await NetworkTest.expectFailure(of: tool, with(["attachments": [["filename": "p", "path": "../etc/passwd"]]]),
                                            in: context, kind: .denied, mentioning: ["attachments[0].path"])
            await NetworkTest.expectFailure(of: tool, with(["attachments": [["filename": "m", "path": "missing.txt"]]]),
                                            in: context, kind: .notFound, mentioning: ["attachments[0].path"])
            let big = String(repeating: "A", count: 8 << 20)
            await NetworkTest.expectFailure(of: tool, with(["attachments": [["filename": "a", "contentBase64": .string(big)],
                                                                           ["filename": "b", "contentBase64": .string(big)]]]),
                                            in: context, kind: .tooLarge, mentioning: ["attachments", "10485760"])
            #expect(try peer.messages.isEmpty)
        }
    }

    @Test("quoted-printable keeps lines short, encodes trailing space and '=' and round-trips")
    func quotedPrintable() {
        #expect(MIMEEncoding.quotedPrintable("a = b \nc\t\n") == "a =3D b=20\r\nc=09\r\n")
        let long = MIMEEncoding.quotedPrintable(String(repeating: "é", count: 40))
        #expect(long.split(separator: "\r\n").allSatisfy { $0.count <= 76 })
        #expect(!long.contains("=\r\nA9"), "an escape is never split")
    }
}

extension JSONValue {
    fileprivate func removingKey(_ key: String) -> JSONValue {
        guard case .object(var members) = self else { return self }
        members.removeValue(forKey: key)
        return .object(members)
    }
}
