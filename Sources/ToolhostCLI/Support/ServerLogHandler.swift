import Foundation
import Logging
import Synchronization

/// The server's log lines in swift-log's StreamLogHandler format, on standard output, made cheap
/// enough for a line per request: the timestamp is formatted once a second, not per line. (With
/// `localtime` and `strftime` on every request line, logging took about a tenth of the time of a
/// cached registry read.)
struct ServerLogHandler: LogHandler {
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    let label: String

    /// Installs the handler for this process, once (bootstrapping twice would trap).
    static let installed: Void = LoggingSystem.bootstrap { label in ServerLogHandler(label: label) }

    init(label: String) {
        self.label = label
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let explicit = event.metadata { merged.merge(explicit) { _, new in new } }
        if let error = event.error {
            merged["error.message"] = "\(error)"
            merged["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        let pretty = merged.isEmpty ? "" : " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let line = "\(Self.clock.now()) \(event.level) \(label):\(pretty) [\(event.source)] \(event.message)\n"
        // One write per line under a lock, so lines of concurrent requests never interleave.
        Self.output.withLock { _ in
            var bytes = Array(line.utf8)
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeMutableBytes { Glibc.write(1, $0.baseAddress! + offset, $0.count - offset) }
                if written <= 0 {
                    if written < 0 && errno == EINTR { continue }
                    break
                }
                offset += written
            }
            bytes.removeAll()
        }
    }

    private static let output = Mutex(())
    private static let clock = SecondClock()
}

/// Local time as `2026-11-21T10:05:00+0000`, formatted again only when the second changes.
final class SecondClock: Sendable {
    private let cached = Mutex<(second: Int, text: String)>((-1, ""))

    func now() -> String {
        let second = time(nil)
        if let text = cached.withLock({ $0.second == second ? $0.text : nil }) { return text }
        var seconds = second
        var local = tm()
        localtime_r(&seconds, &local)
        var buffer = [Int8](repeating: 0, count: 32)
        strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &local)
        let text = String(cString: buffer)
        cached.withLock { $0 = (second, text) }
        return text
    }
}
