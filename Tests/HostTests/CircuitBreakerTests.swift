import Foundation
import Host
import Registry
import Testing
import ToolhostCore
import Traces

@Suite("Circuit breakers: per tool and tenant, persisted")
struct CircuitBreakerTests {
    func fixture(coolDown: Double) async throws -> HostFixture {
        var fixture = try await HostFixture()
        fixture.configuration.breakers.failureThreshold = 3
        fixture.configuration.breakers.window = 60
        fixture.configuration.breakers.coolDown = coolDown
        try await fixture.publishTestKit()
        return fixture
    }

    @Test("N failures open the circuit; while open, calls fail fast without running; the state survives a restart")
    func opensAndSurvivesRestart() async throws {
        let fixture = try await fixture(coolDown: 300)
        defer { fixture.remove() }
        let host = try await fixture.host()
        let call = ToolCall(tool: "acme/testkit/flaky", input: ["fail": true], caller: .localAdmin)
        for attempt in 1...3 {
            let result = try #require(try await host.invoke(call).result)
            #expect(result.isError, "attempt \(attempt)")
        }
        #expect(try await host.circuit(of: "acme/testkit/flaky", for: .localAdmin).state == .open)
        let spansBefore = try await host.spans(for: .localAdmin, tool: "acme/testkit/flaky", limit: 100).filter { $0.sandbox != nil }.count

        do {
            _ = try await host.invoke(ToolCall(tool: "acme/testkit/flaky", input: ["fail": false], caller: .localAdmin))
            Issue.record("an open circuit let a call through")
        } catch {
            #expect(error.code == .circuitOpen && error.code.httpStatus == 503)
            #expect(error.message.contains("retry in"), "\(error.message)")
        }
        // Failing fast: no sandbox ran (a run would have left a span with sandbox usage).
        #expect(try await host.spans(for: .localAdmin, tool: "acme/testkit/flaky", limit: 100).filter { $0.sandbox != nil }.count == spansBefore)

        // Another tenant's circuit for the same tool is its own.
        let other = Caller(keyID: "k", tenant: "other", maxPrivilege: .readOnly, scopes: [.invoke])
        #expect(try await host.invoke(ToolCall(tool: "acme/testkit/flaky", input: [:], caller: other)).result?.isError == false)

        let restarted = try await fixture.restartedHost()
        #expect(try await restarted.circuit(of: "acme/testkit/flaky", for: .localAdmin).state == .open)
        await #expect(throws: ToolhostError.self) {
            _ = try await restarted.invoke(ToolCall(tool: "acme/testkit/flaky", input: [:], caller: .localAdmin))
        }
    }

    @Test("after the cool-down one trial call goes through: success closes the circuit, failure opens it again")
    func halfOpen() async throws {
        let fixture = try await fixture(coolDown: 0.3)
        defer { fixture.remove() }
        let host = try await fixture.host()
        for _ in 1...3 {
            _ = try await host.invoke(ToolCall(tool: "acme/testkit/flaky", input: ["fail": true], caller: .localAdmin))
        }
        #expect(try await host.circuit(of: "acme/testkit/flaky", for: .localAdmin).state == .open)
        try await Task.sleep(for: .milliseconds(400))
        // The trial fails: open again.
        #expect(try await host.invoke(ToolCall(tool: "acme/testkit/flaky", input: ["fail": true], caller: .localAdmin)).result?.isError == true)
        #expect(try await host.circuit(of: "acme/testkit/flaky", for: .localAdmin).state == .open)
        try await Task.sleep(for: .milliseconds(400))
        // The trial succeeds: closed, failures forgotten.
        #expect(try await host.invoke(ToolCall(tool: "acme/testkit/flaky", input: [:], caller: .localAdmin)).result?.isError == false)
        let state = try await host.circuit(of: "acme/testkit/flaky", for: .localAdmin)
        #expect(state.state == .closed && state.recentFailures.isEmpty)
    }

    @Test("a caller's mistake (invalid input) does not count against the circuit")
    func callerMistakesDoNotCount() async throws {
        let fixture = try await fixture(coolDown: 300)
        defer { fixture.remove() }
        let host = try await fixture.host()
        for _ in 1...5 {
            _ = try? await host.invoke(ToolCall(tool: "acme/testkit/flaky", input: ["fail": "yes"], caller: .localAdmin))
        }
        #expect(try await host.circuit(of: "acme/testkit/flaky", for: .localAdmin).state == .closed)
    }
}
