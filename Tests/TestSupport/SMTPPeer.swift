import Foundation
import Glibc
import ToolhostCore

/// A real SMTP server for the email_send tests: `smtp_peer.py` (Python's aiosmtpd) started as a
/// child process on a loopback port. It accepts every recipient but those whose local part starts
/// with `reject`, accepts any login, and records each message, parsed by Python's e-mail package.
public final class SMTPPeer: Sendable {
    public let port: Int
    /// The Python process itself, which may be a grandchild (a pyenv launcher forks).
    private let pid: pid_t
    private let process: Process
    /// The peer exits when this closes, also when the test process dies.
    private let input: Pipe
    private let messagesFile: URL

    /// Runs `body` with a peer, stopping it afterwards.
    public static func running<Result>(_ body: (SMTPPeer) async throws -> Result) async throws -> Result {
        let peer = try SMTPPeer()
        defer { peer.stop() }
        return try await body(peer)
    }

    public init() throws {
        messagesFile = FileManager.default.temporaryDirectory.appendingPathComponent("toolhost-smtp-\(UUID().uuidString).jsonl")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("smtp_peer.py")
        let output = Pipe()
        input = Pipe()
        // Other children started meanwhile must not inherit the write end, or the peer would
        // never see its stdin close.
        _ = fcntl(input.fileHandleForWriting.fileDescriptor, F_SETFD, FD_CLOEXEC)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, messagesFile.path]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The first line is "PORT PID"; reading blocks until the server listens.
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), let first = byte.first, first != 0x0A {
            line.append(first)
        }
        let fields = String(decoding: line, as: UTF8.self).split(separator: " ").compactMap { Int($0) }
        guard fields.count == 2 else {
            try? input.fileHandleForWriting.close()
            throw SMTPPeerError.didNotStart
        }
        self.port = fields[0]
        self.pid = pid_t(fields[1])
    }

    public enum SMTPPeerError: Error { case didNotStart }

    /// The messages received so far, oldest first, as `smtp_peer.py` describes them.
    public var messages: [JSONValue] {
        get throws {
            guard let data = FileManager.default.contents(atPath: messagesFile.path) else { return [] }
            return try data.split(separator: 0x0A).map { try JSONValue(parsing: Data($0)) }
        }
    }

    public func stop() {
        kill(pid, SIGTERM)
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: messagesFile)
    }
}
