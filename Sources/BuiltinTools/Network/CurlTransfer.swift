import CCurl
import Foundation
import Glibc
import Synchronization
import ToolhostCore

/// One libcurl transfer with the rules every network tool shares: the address guard on every
/// connection, no proxy from the environment, no cookies, a time limit, and cancellation.
///
/// `curl_easy_perform` blocks, so it runs on a thread of ``transfers``, never on the cooperative
/// pool; a cancelled task makes the progress callback abort the transfer.
final class CurlTransfer: @unchecked Sendable {
    let easy: CurlEasy
    /// The host the URL names, for messages about refused addresses.
    let host: String
    private let addressGuard: AddressGuard
    private let cancelled = Atomic<Bool>(false)
    /// Written by the open-socket callback on the curl thread, read after the transfer.
    private(set) var refusal: ToolFailure?

    /// Prepares a transfer to `target`.
    /// - Parameters:
    ///   - protocols: curl's protocol names allowed for the transfer (`http,https`, `smtp,smtps`).
    ///   - timeoutMs: the limit for the whole transfer; connecting gets at most 10 s of it.
    init(target: URLTarget, policy: AddressGuard, protocols: String, timeoutMs: Int) throws(ToolFailure) {
        easy = try CurlEasy()
        host = target.host
        addressGuard = policy
        let context = Unmanaged.passUnretained(self).toOpaque()
        try easy.set(CURLOPT_URL, target.url)
        try easy.set(CURLOPT_PROTOCOLS_STR, protocols)
        try easy.set(CURLOPT_REDIR_PROTOCOLS_STR, protocols)
        try easy.set(CURLOPT_FOLLOWLOCATION, 0)
        // Signals cannot be used from a process with many threads; curl then times DNS out itself.
        try easy.set(CURLOPT_NOSIGNAL, 1)
        // An empty proxy disables the proxies that curl would otherwise take from the environment.
        try easy.set(CURLOPT_PROXY, "")
        try easy.set(CURLOPT_TIMEOUT_MS, max(1, timeoutMs))
        try easy.set(CURLOPT_CONNECTTIMEOUT_MS, max(1, min(timeoutMs, 10_000)))
        try easy.set(CURLOPT_OPENSOCKETDATA, pointer: context)
        try easy.check(toolhost_curl_setopt_opensocket_function(easy.handle, CurlTransfer.openSocket), CURLOPT_OPENSOCKETFUNCTION)
        try easy.set(CURLOPT_NOPROGRESS, 0)
        try easy.set(CURLOPT_XFERINFODATA, pointer: context)
        try easy.check(toolhost_curl_setopt_xferinfo_function(easy.handle, CurlTransfer.progress), CURLOPT_XFERINFOFUNCTION)
    }

    /// The threads transfers block on: a thread per transfer up to 64 at once, reused; more wait
    /// for one (their time limits start when they do).
    static let transfers = BlockingPool(name: "toolhost-curl", maximumThreads: 64)

    /// Runs the transfer on a thread of ``transfers``; cancelling the calling task aborts it (a
    /// transfer cancelled while it waits for a thread aborts as soon as it starts).
    func perform() async -> CURLcode {
        await withTaskCancellationHandler {
            await Self.transfers.run { [self] in curl_easy_perform(easy.handle) }
        } onCancel: {
            cancelled.store(true, ordering: .relaxed)
        }
    }

    /// Whether the calling task cancelled the transfer.
    var wasCancelled: Bool { cancelled.load(ordering: .relaxed) }

    /// The failure that `code` means, in words that name `action` (`GET http://…`) and the limit.
    /// - Parameter timeout: the limit as the caller knows it: `timeoutMs (15000 ms)`.
    func failure(for code: CURLcode, action: String, timeout: String) -> ToolFailure {
        if wasCancelled { return ToolFailure(.timeout, "\(action) was cancelled before it finished") }
        // A refused address leaves curl with "could not connect"; a timeout after it is still a timeout.
        if let refusal, code != CURLE_OPERATION_TIMEDOUT { return refusal }
        let detail = easy.errorText(code)
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return ToolFailure(.timeout, "\(action) did not finish within \(timeout)")
        case CURLE_COULDNT_RESOLVE_HOST:
            return ToolFailure(.upstream, "\(action): cannot resolve the host \(host) (\(detail))")
        case CURLE_COULDNT_CONNECT:
            return ToolFailure(.upstream, "\(action): cannot connect to \(host) (\(detail))")
        case CURLE_UNSUPPORTED_PROTOCOL:
            return ToolFailure(.denied, "\(action): \(detail)")
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CACERT_BADFILE:
            return ToolFailure(.upstream, "\(action): TLS with \(host) failed (\(detail))")
        case CURLE_LOGIN_DENIED:
            return ToolFailure(.upstream, "\(action): \(host) refused the login (\(detail))")
        default:
            return ToolFailure(.upstream, "\(action) failed: \(detail)")
        }
    }

    /// Creates the socket for each address curl tries, after the guard allowed that address; a
    /// refused address fails only that attempt, so a name with a public and a private address
    /// still connects, to the public one.
    private static let openSocket: curl_opensocket_callback = { context, _, address in
        guard let context, let address else { return CURL_SOCKET_BAD }
        let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
        guard let ip = IPAddress(socketAddress: toolhost_curl_sockaddr_address(address)) else {
            transfer.refusal = ToolFailure(.denied, "refused to connect to \(transfer.host): not an IP address")
            return CURL_SOCKET_BAD
        }
        if let refusal = transfer.addressGuard.refusal(host: transfer.host, address: ip) {
            transfer.refusal = refusal
            return CURL_SOCKET_BAD
        }
        // Close-on-exec: the host forks sandboxed programs while other calls have connections open.
        let socketType = address.pointee.socktype | Int32(SOCK_CLOEXEC.rawValue)
        return socket(address.pointee.family, socketType, address.pointee.protocol)
    }

    private static let progress: curl_xferinfo_callback = { context, _, _, _, _ in
        guard let context else { return 0 }
        return Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue().wasCancelled ? 1 : 0
    }
}
