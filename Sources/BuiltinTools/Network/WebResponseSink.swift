import CCurl
import Foundation

/// Collects a response's status line, headers and body from curl's callbacks, keeping at most
/// `keep` bytes of the body and stopping the transfer there.
///
/// `@unchecked Sendable`: written only by the curl thread during the transfer, read after it.
final class WebResponseSink: @unchecked Sendable {
    private(set) var status = 0
    private(set) var headers: [(name: String, value: String)] = []
    private(set) var body = Data()
    /// More bytes came than `keep`, and `keep` is a truncation.
    private(set) var truncated = false
    /// More bytes came than `keep`, and `keep` is the host's hard limit.
    private(set) var exceeded = false
    /// The head check refused the response.
    private(set) var headFailure: ToolFailure?
    /// The head check ran (it runs when the first body bytes arrive).
    private(set) var headChecked = false

    private let keep: Int
    private let truncates: Bool
    private let followsRedirects: Bool
    private let acceptHead: (@Sendable (WebResponseHead) -> ToolFailure?)?
    private var skipsBody = false

    init(keep: Int, truncates: Bool, followsRedirects: Bool, acceptHead: (@Sendable (WebResponseHead) -> ToolFailure?)?) {
        self.keep = keep
        self.truncates = truncates
        self.followsRedirects = followsRedirects
        self.acceptHead = acceptHead
    }

    /// Whether `head` is a redirect that the request follows.
    func isRedirect(_ head: WebResponseHead) -> Bool {
        followsRedirects && [301, 302, 303, 307, 308].contains(head.status) && head.header("location") != nil
    }

    func attach(to easy: CurlEasy) throws(ToolFailure) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        try easy.set(CURLOPT_HEADERDATA, pointer: context)
        try easy.set(CURLOPT_HEADERFUNCTION, callback: WebResponseSink.receiveHeader)
        try easy.set(CURLOPT_WRITEDATA, pointer: context)
        try easy.set(CURLOPT_WRITEFUNCTION, callback: WebResponseSink.receiveBody)
    }

    private func header(_ bytes: UnsafeBufferPointer<UInt8>) {
        // Header bytes are ASCII by the protocol; anything else is kept as replacement characters.
        let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: CharacterSet(charactersIn: "\r\n"))
        if line.hasPrefix("HTTP/") {
            // A new status line: an interim 1xx response came first, or this is the next one.
            let fields = line.split(separator: " ", maxSplits: 2)
            status = fields.count > 1 ? Int(fields[1]) ?? 0 : 0
            headers = []
        } else if line.first == " " || line.first == "\t", let last = headers.indices.last {
            headers[last].value += " " + line.trimmingCharacters(in: .whitespaces)
        } else if let colon = line.firstIndex(of: ":") {
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
    }

    /// Returns how many bytes were taken; fewer than offered stops the transfer.
    private func receive(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        if !headChecked {
            headChecked = true
            let head = WebResponseHead(status: status, headers: headers)
            if isRedirect(head) {
                skipsBody = true
            } else if let acceptHead, let refusal = acceptHead(head) {
                headFailure = refusal
                return 0
            }
        }
        if skipsBody { return bytes.count }
        let room = keep - body.count
        if bytes.count <= room {
            body.append(contentsOf: bytes)
            return bytes.count
        }
        body.append(contentsOf: bytes.prefix(room))
        if truncates { truncated = true } else { exceeded = true }
        return 0
    }

    private static let receiveHeader: curl_write_callback = { data, size, count, context in
        guard let data, let context else { return 0 }
        let sink = Unmanaged<WebResponseSink>.fromOpaque(context).takeUnretainedValue()
        let length = size * count
        data.withMemoryRebound(to: UInt8.self, capacity: length) { sink.header(UnsafeBufferPointer(start: $0, count: length)) }
        return length
    }

    private static let receiveBody: curl_write_callback = { data, size, count, context in
        guard let context else { return 0 }
        let sink = Unmanaged<WebResponseSink>.fromOpaque(context).takeUnretainedValue()
        let length = size * count
        guard let data, length > 0 else { return length }
        return data.withMemoryRebound(to: UInt8.self, capacity: length) { sink.receive(UnsafeBufferPointer(start: $0, count: length)) }
    }
}
