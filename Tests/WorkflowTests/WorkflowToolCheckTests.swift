import Foundation
import Host
import Registry
import Testing
import ToolhostCore
import Workflow

/// Issue 12, deliverable 1: a tool that does not exist, or that the run's caller or agent may not
/// call, is a definition problem at the node's line — found before anything runs.
@Suite("Workflow definitions against the catalog")
struct WorkflowToolCheckTests {
    /// A host over a fresh data directory with the built-ins; no sandbox (nothing runs here).
    static func host() async throws -> (ToolHost, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("toolhost-workflow-\(UUID().uuidString)")
        let data = try await DataDirectory.open(directory)
        return (try await data.host(sandbox: nil), directory)
    }

    static let flow = """
        name: tools
        entry: digest
        nodes:
          - {id: digest, kind: tool, tool: hash_digest, input: "{algorithm: 'sha256', text: 'x'}"}
          - {id: save, kind: tool, tool: file_write}
          - {id: ask, kind: tool, tool: http_request}
          - {id: ghost, kind: tool, tool: no_such_tool}
        edges:
          - {from: digest, to: save}
          - {from: save, to: ask}
          - {from: ask, to: ghost}
        """

    @Test("a missing tool and one above the caller's level are reported at their lines; the rest would run")
    func callerLevel() async throws {
        let (host, directory) = try await Self.host()
        defer { try? FileManager.default.removeItem(at: directory) }
        let definition = try WorkflowLoader.load(yaml: Self.flow, source: "tools.yaml")
        let reader = Caller(keyID: "k1", tenant: "local", maxPrivilege: .readOnly, scopes: [.read, .invoke])
        do {
            _ = try await definition.checkTools(on: host, caller: reader, source: "tools.yaml")
            Issue.record("a level-1 caller may not call file_write or http_request")
        } catch {
            let problems = error.details?["problems"]?.arrayValue ?? []
            let lines = problems.compactMap { $0["line"]?.intValue }
            #expect(lines == [5, 6, 7], "\(problems)")
            #expect(error.message.contains("save calls file_write: file_write needs privilege level"), "\(error.message)")
            #expect(error.message.contains("ghost calls no_such_tool: no tool named \"no_such_tool\""), "\(error.message)")
        }
    }

    @Test("for a caller who may call them all, the check says which call would wait for approval")
    func approvals() async throws {
        let (host, directory) = try await Self.host()
        defer { try? FileManager.default.removeItem(at: directory) }
        let definition = try WorkflowLoader.load(yaml: Self.flow.replacingOccurrences(of: "no_such_tool", with: "hash_digest@^1"), source: "tools.yaml")
        let checked = try await definition.checkTools(on: host, caller: .localAdmin, source: "tools.yaml")
        #expect(checked.keys.sorted() == ["ask", "digest", "ghost", "save"])
        #expect(checked["ask"]?.approvalReason != nil && checked["digest"]?.approvalReason == nil)
        #expect(checked["ghost"]?.name == "hash_digest")
    }

    @Test("an agent that is not granted a tool makes that node a problem")
    func agentGrants() async throws {
        let (host, directory) = try await Self.host()
        defer { try? FileManager.default.removeItem(at: directory) }
        let agent = try await host.createAgent(name: "digester", maxPrivilege: .executeRisky, tools: ["hash_digest"], approvalRequired: [],
                                               by: .localAdmin)
        let definition = try WorkflowLoader.load(yaml: """
            name: agent
            entry: a
            nodes:
              - {id: a, kind: tool, tool: hash_digest}
              - {id: b, kind: tool, tool: file_read}
            edges:
              - {from: a, to: b}
            """, source: "agent.yaml")
        do {
            _ = try await definition.checkTools(on: host, caller: .localAdmin, agentID: agent.id, source: "agent.yaml")
            Issue.record("the agent is not granted file_read")
        } catch {
            #expect(error.details?["problems"]?.arrayValue?.count == 1)
            #expect(error.message.contains("line 5") && error.message.contains("agent digester is not granted file_read"), "\(error.message)")
        }
    }
}
