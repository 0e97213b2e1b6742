import Foundation
import Testing
import ToolhostCore
import Workflow

/// Issue 12, deliverable 1: definitions load from YAML or JSON, and every problem is reported
/// with what is wrong and where (the YAML line, or the JSON pointer).
@Suite("Workflow definitions")
struct WorkflowDefinitionTests {
    /// The issue's example, as an author writes it.
    static let research = """
        name: research
        description: Search, read the top pages, summarize.
        state:
          type: object
          properties: {query: {type: string}, results: {type: array}, pages: {type: array}, summary: {type: string}}
          required: [query]
        reducers: {pages: append}
        entry: search
        nodes:
          - {id: search, kind: tool, tool: web_search@^1, input: "{query: state.query}", output: {results: results}}
          - {id: fetch_all, kind: map, over: "state.results[:3]", tool: web_fetch, input: "{url: item.url}",
             output: pages, concurrency: 3}
          - {id: summarize, kind: tool, tool: python_exec, input: "{code: 'print(1)', stdin: to_string(state.pages)}",
             output: {summary: stdout}, retry: {maxAttempts: 3, initialDelay: 0.2, multiplier: 2, maxDelay: 5, jitter: true},
             timeout: 10s, fallback: short_summary}
          - {id: short_summary, kind: set, set: {summary: "'no summary'"}}
          - {id: review, kind: approval, prompt: "Publish this summary?", form: {type: object, properties: {ok: {type: boolean}}},
             timeout: 1h, default: {ok: false}, output: review}
        edges:
          - {from: search, to: fetch_all, when: "length(state.results) > `0`"}
          - {from: fetch_all, to: summarize}
          - {from: summarize, to: review}
        """

    /// The problems a definition is refused for.
    static func problems(yaml: String) -> [JSONValue] {
        do {
            _ = try WorkflowLoader.load(yaml: yaml, source: "flow.yaml")
            return []
        } catch {
            return error.details?["problems"]?.arrayValue ?? [.string(error.message)]
        }
    }

    @Test("the issue's research workflow loads with its nodes, edges, reducers, retry, timeout and fallback")
    func researchLoads() throws {
        let flow = try WorkflowLoader.load(yaml: Self.research, source: "research.yaml")
        #expect(flow.name == "research" && flow.entry == "search")
        #expect(flow.nodes.map(\.id) == ["search", "fetch_all", "summarize", "short_summary", "review"])
        #expect(flow.nodes.map(\.kind) == ["tool", "map", "tool", "set", "approval"])
        #expect(flow.edges.map { "\($0.from)->\($0.to)" } == ["search->fetch_all", "fetch_all->summarize", "summarize->review"])
        #expect(flow.reducers == ["pages": .append])
        let summarize = try #require(flow.node("summarize"))
        #expect(summarize.retry == RetryPolicy(maxAttempts: 3, initialDelay: 0.2, multiplier: 2, maxDelay: 5, jitter: true))
        #expect(summarize.timeout == .seconds(10) && summarize.fallback == "short_summary")
        #expect(try #require(flow.node("review")).timeout == .seconds(3600))
        // Expressions are compiled once, at load, and work on the run's data.
        let input = try #require(flow.node("search")?.expressions["input"])
        #expect(try input.search(["state": ["query": "swift"]]) == ["query": "swift"])
        let when = try #require(flow.edges.first?.when)
        #expect(try when.search(["state": ["results": [1]]]) == true)
        #expect(try when.search(["state": ["results": []]]) == false)
    }

    @Test("an unknown node kind names the kinds there are, at its line")
    func unknownKind() {
        let problems = Self.problems(yaml: """
            name: x
            entry: a
            nodes:
              - {id: a, kind: tol, tool: hash_digest}
            """)
        #expect(problems.count == 1)
        #expect(problems.first?["line"] == 4 && problems.first?["pointer"] == "/nodes/0/kind", "\(problems)")
        #expect(problems.first?["message"]?.stringValue?.contains("unknown node kind \"tol\"; known kinds: approval, branch") == true, "\(problems)")
    }

    @Test("an edge to a missing node, an unreachable node, a duplicate id and a missing field are each reported where they are")
    func graphProblems() {
        let problems = Self.problems(yaml: """
            name: x
            entry: a
            nodes:
              - {id: a, kind: tool, tool: hash_digest}
              - {id: b, kind: set, set: {done: "`true`"}}
              - {id: b, kind: set, set: {done: "`false`"}}
              - {id: c, kind: tool}
            edges:
              - {from: a, to: nowhere}
            """)
        let messages = problems.compactMap { problem in problem["message"]?.stringValue.map { "\(problem["line"]?.intValue ?? 0): \($0)" } }
        #expect(messages.contains { $0.hasPrefix("6: ") && $0.contains("the node id \"b\" is used twice (first at line 5") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("7: ") && $0.contains("a tool node needs \"tool\"") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("9: ") && $0.contains("no node \"nowhere\"") }, "\(messages)")

        let unreachable = Self.problems(yaml: """
            name: x
            entry: a
            nodes:
              - {id: a, kind: tool, tool: hash_digest}
              - {id: lonely, kind: set, set: {done: "`true`"}}
            """)
        #expect(unreachable.first?["message"] == "the node \"lonely\" is unreachable from the entry \"a\"", "\(unreachable)")
        #expect(unreachable.first?["line"] == 5)
    }

    @Test("an expression that does not compile is reported with its column")
    func badExpression() {
        let problems = Self.problems(yaml: """
            name: x
            entry: a
            nodes:
              - {id: a, kind: tool, tool: hash_digest, input: "{text: state.query"}
            """)
        let message = problems.first?["message"]?.stringValue ?? ""
        #expect(problems.first?["pointer"] == "/nodes/0/input" && problems.first?["line"] == 4, "\(problems)")
        #expect(message.contains("the expression \"{text: state.query\" does not compile at column"), "\(message)")
    }

    @Test("two branches that run at once and write one key need a reducer for it; with one, the definition loads")
    func parallelWrites() throws {
        let fanOut = """
            name: x
            entry: start
            nodes:
              - {id: start, kind: set, set: {n: "`1`"}}
              - {id: left, kind: tool, tool: hash_digest, output: digests}
              - {id: right, kind: tool, tool: hash_digest, output: digests}
              - {id: both, kind: join}
            edges:
              - {from: start, to: left}
              - {from: start, to: right}
              - {from: left, to: both}
              - {from: right, to: both}
            """
        let problems = Self.problems(yaml: fanOut)
        let message = problems.first?["message"]?.stringValue ?? ""
        #expect(problems.count == 1 && message.contains("\"left\" and \"right\" can run at once after \"start\" and both write state.digests"), "\(problems)")
        let fixed = try WorkflowLoader.load(yaml: fanOut + "\nreducers: {digests: append}\n", source: "flow.yaml")
        #expect(fixed.reducers["digests"] == .append)
    }

    @Test("JSON definitions load too, and their problems carry JSON pointers")
    func json() throws {
        let flow = try WorkflowLoader.load(json: #"{"name": "x", "entry": "a", "nodes": [{"id": "a", "kind": "tool", "tool": "hash_digest"}]}"#)
        #expect(flow.nodes.count == 1)
        do {
            _ = try WorkflowLoader.load(json: #"{"name": "x", "entry": "a", "nodes": [{"id": "a", "kind": "tool", "tool": "t", "retries": 3}]}"#)
            Issue.record("an unknown field was accepted")
        } catch {
            #expect(error.code == .invalidInput)
            #expect(error.message.contains("/nodes/0/retries: a tool node has no field \"retries\""), "\(error.message)")
            #expect(error.details?["problems"]?[0]?["line"] == nil)
        }
    }

    @Test("plain YAML scalars follow the YAML 1.2 core schema: `no` and `on` stay strings, quoted numbers stay strings")
    func coreSchemaScalars() throws {
        let flow = try WorkflowLoader.load(yaml: """
            name: no
            version: "1"
            entry: on
            nodes:
              - {id: on, kind: set, set: {answer: "`42`"}}
            """)
        #expect(flow.name == "no" && flow.version == "1" && flow.entry == "on")
    }
}
