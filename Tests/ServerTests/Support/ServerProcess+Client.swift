import HummingbirdTesting
import TestSupport

extension ServerProcess {
    /// A client on its own connection to the server.
    func withClient<T: Sendable>(_ body: @escaping @Sendable (TestClient) async throws -> T) async throws -> T {
        try await TestClient.withClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(30)), operation: body)
    }
}
