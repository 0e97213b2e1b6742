import Foundation
import TestSupport

extension ServerProcess {
    /// Starts a server in `cli`'s data directory, runs `body`, and stops the server, also when `body` throws.
    static func with<T>(_ cli: CLIRunner, _ body: (ServerProcess) async throws -> T) async throws -> T {
        let server = try await start(dataDirectory: cli.dataDirectory, logDirectory: cli.workDirectory.deletingLastPathComponent())
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }
}
