import Foundation
import Testing
import ToolhostCore

@Suite("toolhost tools")
struct ToolsCommandTests {
    @Test("`tools list --json` returns the 24 built-in tools with name, version, privilege and description")
    func listJSON() async throws {
        let cli = try CLIRunner()
        defer { cli.removeAll() }
        let result = try await cli.run(["tools", "list", "--json"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let tools = try #require(try result.json().arrayValue)
        #expect(tools.count == 24)
        let hash = try #require(tools.first { $0["name"] == "hash_digest" })
        #expect(hash["version"] == "1.0.0")
        #expect(hash["privilegeLevel"] == 1)
        #expect(hash["description"]?.stringValue?.isEmpty == false)
    }

    @Test("`tools list` prints a table, one line per tool")
    func listTable() async throws {
        let cli = try CLIRunner()
        defer { cli.removeAll() }
        let result = try await cli.run(["tools", "list"])
        #expect(result.exitCode == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("NAME") == true)
        #expect(lines.count == 25)
        #expect(lines.contains { $0.hasPrefix("python_exec") && $0.contains("2 EXECUTE_SAFE") })
    }

    @Test("`tools search \"pdf text\" --max-privilege 2 --read-only --json` finds pdf_extract_text first and honours the filters")
    func searchWithFilters() async throws {
        let cli = try CLIRunner()
        defer { cli.removeAll() }
        let result = try await cli.run(["tools", "search", "pdf text", "--max-privilege", "2", "--read-only", "--json"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let tools = try #require(try result.json().arrayValue)
        #expect(tools.first?["name"] == "pdf_extract_text")
        for tool in tools {
            #expect((tool["privilegeLevel"]?.intValue ?? 99) <= 2)
            #expect(tool["annotations"]?["readOnlyHint"] == true)
        }
    }

    @Test("`tools search --takes path:string --no-read-only` finds the writing file tools")
    func searchByCapability() async throws {
        let cli = try CLIRunner()
        defer { cli.removeAll() }
        let result = try await cli.run(["tools", "search", "--takes", "path:string", "--no-read-only", "--json"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let names = try #require(try result.json().arrayValue).compactMap { $0["name"]?.stringValue }
        #expect(names.contains("file_write"))
        #expect(!names.contains("file_read"))
    }

    @Test("`tools show file_read --json` prints the manifest: schemas, annotations, privilege, examples")
    func showJSON() async throws {
        let cli = try CLIRunner()
        defer { cli.removeAll() }
        let result = try await cli.run(["tools", "show", "file_read", "--json"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let detail = try result.json()
        #expect(detail["name"] == "file_read")
        #expect(detail["definition"]?["privilegeLevel"] == 1)
        #expect(detail["definition"]?["inputSchema"]?["properties"]?["path"] != nil)
        #expect(detail["definition"]?["outputSchema"]?["type"] == "object")
        #expect(detail["definition"]?["annotations"]?["readOnlyHint"] == true)
        #expect((detail["definition"]?["examples"]?.arrayValue?.count ?? 0) >= 1)
    }

    @Test("an unknown tool exits 3 and names it; with --json the error is a JSON document")
    func unknownTool() async throws {
        let cli = try CLIRunner()
        defer { cli.removeAll() }
        let text = try await cli.run(["tools", "show", "no_such_tool"])
        #expect(text.exitCode == 3)
        #expect(text.stderr.contains("no_such_tool"))
        let json = try await cli.run(["tools", "show", "no_such_tool", "--json"])
        #expect(json.exitCode == 3)
        #expect(try json.json()["error"]?["code"] == "not_found")
    }

    @Test("usage errors exit 2 and say what was wrong: an unknown option, a bad privilege level, a bad capability type")
    func usageErrors() async throws {
        let cli = try CLIRunner()
        defer { cli.removeAll() }
        #expect(try await cli.run(["tools", "list", "--bogus"]).exitCode == 2)
        let badLevel = try await cli.run(["tools", "search", "--max-privilege", "9"])
        #expect(badLevel.exitCode == 2)
        #expect(badLevel.stderr.contains("--max-privilege"))
        let badType = try await cli.run(["tools", "search", "--takes", "path:text"])
        #expect(badType.exitCode == 2)
        #expect(badType.stderr.contains("unknown type \"text\""))
        #expect(try await cli.run(["--help"]).exitCode == 0)
    }
}
