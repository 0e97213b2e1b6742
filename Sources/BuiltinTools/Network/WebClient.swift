import CCurl
import Foundation

/// The HTTP client of the network tools (web_fetch, http_request, web_search, slack_post), over
/// libcurl.
///
/// Every hop of a request, redirects included, is checked against the host's rules before it is
/// made: the scheme (http and https only), ``NetworkPolicy/allowedHosts``, the tool's declared
/// egress, and the address guard, which also runs on every address curl connects to. Redirects
/// are followed here rather than by curl so that each one passes these checks.
struct WebClient: Sendable {
    let destinations: DestinationRules

    /// - Parameters:
    ///   - egress: the destinations the tool's manifest declares in `network.egress`.
    /// - Throws: ``ToolFailure`` `not_configured` when the policy holds a malformed entry.
    init(policy: NetworkPolicy, egress: [String] = ["*"]) throws(ToolFailure) {
        destinations = try DestinationRules(policy: policy, egress: egress)
    }

    /// Sends `request`, following redirects as it allows.
    /// - Throws: ``ToolFailure``: `invalid_argument` for a malformed URL, `denied` for a refused
    ///   scheme, host or address (also after a redirect), `timeout` when the request's limit ran out,
    ///   `too_large` when a body exceeds the host's limit, `upstream_error` when the peer cannot be
    ///   reached or misbehaves. HTTP error statuses are responses, not failures.
    func send(_ request: WebRequest) async throws(ToolFailure) -> WebResponse {
        let clock = ContinuousClock()
        let start = clock.now
        var hop = WebHop(method: request.method, headers: request.headers, body: request.body)
        var target = try URLTarget(request.url, field: request.urlField, isSecret: request.hidesURL)
        var redirects = 0
        while true {
            let action = "\(hop.method) \(request.display(target))"
            try destinations.check(target, field: redirects == 0 ? request.urlField : "the redirect to \(request.display(target))")
            let elapsed = clock.now - start
            let remainingMs = request.timeoutMs - Int(elapsed / .milliseconds(1))
            guard remainingMs > 0 else {
                throw ToolFailure(.timeout, "\(action) did not finish within \(request.timeoutMs) ms (\(request.timeoutField))")
            }
            let result = try await perform(hop, to: target, request: request, timeoutMs: remainingMs, action: action)
            guard let location = result.redirectLocation else {
                return WebResponse(head: result.head, body: result.body, truncated: result.truncated,
                                   finalURL: result.effectiveURL ?? target.url, duration: clock.now - start)
            }
            guard redirects < request.maxRedirects else {
                throw ToolFailure(.upstream, "\(action): more than \(request.maxRedirects) redirects")
            }
            let next = try URLTarget(location, field: "\(action): the redirect", isSecret: request.hidesURL)
            if target.scheme == "https" && next.scheme == "http" {
                throw ToolFailure(.denied, "\(action): the redirect to \(request.display(next)) is refused: redirects never go from https to http")
            }
            hop = hop.redirected(status: result.head.status, from: target, to: next)
            target = next
            redirects += 1
        }
    }

    /// One request and response, without following a redirect.
    private func perform(_ hop: WebHop, to target: URLTarget, request: WebRequest, timeoutMs: Int,
                         action: String) async throws(ToolFailure) -> HopResult {
        let transfer = try CurlTransfer(target: target, policy: destinations.addressGuard, protocols: "http,https", timeoutMs: timeoutMs)
        let hardLimit = destinations.maximumResponseBytes
        let sink = WebResponseSink(
            keep: min(request.truncateAfter ?? hardLimit, hardLimit),
            truncates: (request.truncateAfter ?? Int.max) <= hardLimit,
            followsRedirects: request.maxRedirects > 0,
            acceptHead: request.acceptHead)
        try hop.configure(transfer.easy, decompress: request.decompress)
        try sink.attach(to: transfer.easy)
        let code = await transfer.perform()
        if let refusal = sink.headFailure { throw refusal }
        if sink.exceeded {
            throw ToolFailure(.tooLarge,
                              "\(action): the response body is larger than the host's limit of \(hardLimit) bytes (network.maximumResponseBytes)")
        }
        guard code == CURLE_OK || (code == CURLE_WRITE_ERROR && sink.truncated) else {
            throw transfer.failure(for: code, action: action, timeout: "\(request.timeoutMs) ms (\(request.timeoutField))")
        }
        let head = WebResponseHead(status: sink.status, headers: sink.headers)
        let redirect = sink.isRedirect(head) ? (transfer.easy.info(CURLINFO_REDIRECT_URL) as String?) : nil
        if sink.isRedirect(head) && redirect == nil {
            throw ToolFailure(.upstream, "\(action): the redirect's Location \"\(head.header("location") ?? "")\" is not a usable URL")
        }
        if redirect == nil, !sink.headChecked, let acceptHead = request.acceptHead, let refusal = acceptHead(head) {
            throw refusal
        }
        return HopResult(head: head, body: sink.body, truncated: sink.truncated,
                         effectiveURL: transfer.easy.info(CURLINFO_EFFECTIVE_URL), redirectLocation: redirect)
    }

    private struct HopResult {
        var head: WebResponseHead
        var body: Data
        var truncated: Bool
        var effectiveURL: String?
        var redirectLocation: String?
    }
}

extension WebRequest {
    /// The URL as messages show it: whole, or only its origin when it is a secret.
    func display(_ target: URLTarget) -> String {
        hidesURL ? target.origin : URLTarget.abbreviated(target.url)
    }
}
