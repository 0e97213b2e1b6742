import Hummingbird
import NIOCore
import Synchronization

/// Notices that a client went away while its request is handled: its side of the connection
/// closed (the server allows half-closure, so this is an event, not a close) or the connection died.
///
/// Hummingbird keeps handling a request whose client is gone; a tool call would then run on to its
/// limits for nobody. ``ToolhostRequestContext/cancellingOnDisconnect(_:)`` cancels it instead. A
/// client that half-closes its connection after sending a request and still waits for the answer
/// is taken as gone too: HTTP/1.1 clients do not do that, and waiting for such a client would keep
/// runs alive for every client that really went away with a FIN.
final class DisconnectWatcher: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
    typealias InboundIn = NIOAny

    /// The waiter, or whether the client is already gone; touched from the event loop and the waiting task.
    private let state = Mutex<(gone: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event { clientGone() }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        clientGone()
        context.fireChannelInactive()
    }

    private func clientGone() {
        let waiter = state.withLock { state in
            state.gone = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Returns once the client is gone, or when the waiting task is cancelled.
    func waitUntilGone() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state in
                    if state.gone || Task.isCancelled { return true }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }
}

extension ToolhostRequestContext {
    /// Runs `body`, cancelling it when the client goes away before it is done; `body` still
    /// finishes (a cancelled tool call returns a `cancelled` result) and its value is returned.
    func cancellingOnDisconnect<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let watcher = DisconnectWatcher()
        let channel = self.channel
        do {
            try await channel.pipeline.addHandler(watcher, position: .first).get()
        } catch {
            return try await body()  // the connection is already closing; nothing to watch
        }
        defer { channel.pipeline.removeHandler(watcher, promise: nil) }
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                await watcher.waitUntilGone()
                return nil
            }
            while let next = try await group.next() {
                group.cancelAll()  // the other child: the watch once the call is done, the call once the client is gone
                if let value = next { return value }
            }
            throw CancellationError()
        }
    }
}
