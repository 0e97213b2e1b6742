import Foundation
import TestSupport
import Testing
import ToolhostCore
@testable import ToolhostCLI

/// The registry's client commands against a real `toolhost serve` on a loopback port: one server
/// per test, one test at a time (each server has the machine's two cores to itself while it starts).
@Suite("toolhost keys, publish and tools --server against a real server", .serialized)
struct RegistryCommandTests {
    @Test("`keys create` makes a key for a tenant and prints its secret once; a READ_ONLY read-only key cannot publish (exit 5)")
    func createKeysAndPublishWithThem() async throws {
        let cli = try CLIRunner()
        defer { cli.removeAll() }
        let package = try Fixture.copyExample("word-count", into: cli)
        try await ServerProcess.with(cli) { server in
            // No --key: the CLI reads the admin key from the local server's data directory.
            let created = try await cli.run(["keys", "create", "--server", server.url, "--tenant", "acme", "--max-privilege", "2",
                                       "--scopes", "read,publish,invoke", "--json"])
            #expect(created.exitCode == 0, "\(created.stderr)")
            let key = try created.json()
            #expect(key["tenant"] == "acme")
            #expect(key["maxPrivilege"] == 2)
            #expect(key["scopes"] == ["invoke", "publish", "read"])
            let secret = try #require(key["secret"]?.stringValue)
            #expect(secret.hasPrefix("thk_"))

            let text = try await cli.run(["keys", "create", "--server", server.url, "--tenant", "acme", "--max-privilege", "READ_ONLY",
                                    "--scopes", "read", "--name", "dashboard"])
            #expect(text.exitCode == 0, "\(text.stderr)")
            #expect(text.stdout.contains("for tenant acme (max privilege 1 READ_ONLY; scopes read)"))
            let readOnlySecret = try #require(text.stdout.split(separator: "\n").last.map(String.init))
            #expect(readOnlySecret.hasPrefix("thk_"))

            let refused = try await cli.run(["publish", package.path, "--server", server.url, "--key", readOnlySecret])
            #expect(refused.exitCode == 5, "\(refused.stdout) \(refused.stderr)")
            #expect(refused.stderr.contains("forbidden"))
            #expect(refused.stderr.contains("\"publish\" scope"))

            let published = try await cli.run(["publish", package.path, "--server", server.url, "--key", secret])
            #expect(published.exitCode == 0, "\(published.stderr)")
            #expect(published.stdout.hasPrefix("published acme/word-count@1.0.0 sha256:"))

            // A key cannot hand out more than it has: the acme key has no admin scope.
            let escalation = try await cli.run(["keys", "create", "--server", server.url, "--max-privilege", "2", "--scopes", "read",
                                          "--key", secret, "--json"])
            #expect(escalation.exitCode == 5)
            #expect(try escalation.json()["error"]?["code"] == "forbidden")
        }
    }

    @Test("without a key the server answers 401 (exit 5) and the message says how to pass one")
    func missingKey() async throws {
        let cli = try CLIRunner()
        defer { cli.removeAll() }
        try await ServerProcess.with(cli) { server in
            // Another data directory has no admin.key, so nothing is sent.
            let result = try await cli.run(["tools", "list", "--server", server.url], environment: ["TOOLHOST_DATA": cli.workDirectory.path])
            #expect(result.exitCode == 5)
            #expect(result.stderr.contains("unauthorized"))
            #expect(result.stderr.contains("TOOLHOST_KEY"))
            let wrong = try await cli.run(["tools", "list"], environment: ["TOOLHOST_SERVER": server.url, "TOOLHOST_KEY": "thk_nope_nope"])
            #expect(wrong.exitCode == 5)
            #expect(wrong.stderr.contains("invalid or revoked API key"))
        }
    }

    @Test("`keys signing-key` writes a 0600 key pair and registers it; signed uploads pass; unsigned or wrongly signed: bad_signature (exit 1)")
    func signedPublishing() async throws {
        let cli = try CLIRunner()
        defer { cli.removeAll() }
        let package = try Fixture.copyExample("word-count", into: cli)
        try await ServerProcess.with(cli) { server in
            let keyPath = cli.workDirectory.appendingPathComponent("me.key").path
            let made = try await cli.run(["keys", "signing-key", "--out", keyPath, "--namespace", "acme", "--server", server.url])
            #expect(made.exitCode == 0, "\(made.stderr)")
            #expect(made.stdout.contains("registered signing key"))
            #expect(made.stdout.contains("for namespace acme"))
            let mode = try FileManager.default.attributesOfItem(atPath: keyPath)[.posixPermissions] as? Int
            #expect(mode == 0o600)
            #expect(FileManager.default.fileExists(atPath: keyPath + ".pub"))
            // Never overwritten.
            let again = try await cli.run(["keys", "signing-key", "--out", keyPath, "--namespace", "acme", "--server", server.url])
            #expect(again.exitCode == 4)

            let dryRun = try await cli.run(["publish", package.path, "--sign-key", keyPath, "--dry-run", "--json"])
            #expect(dryRun.exitCode == 0, "\(dryRun.stderr)")
            let expectedDigest = try #require(try dryRun.json()["sha256"]?.stringValue)

            let signed = try await cli.run(["publish", package.path, "--sign-key", keyPath, "--server", server.url])
            #expect(signed.exitCode == 0, "\(signed.stderr)")
            #expect(signed.stdout == "published acme/word-count@1.0.0 sha256:\(expectedDigest) (signed)\n")

            try Fixture.setVersion("1.0.1", of: package)
            let unsigned = try await cli.run(["publish", package.path, "--server", server.url])
            #expect(unsigned.exitCode == 1)
            #expect(unsigned.stderr.contains("bad_signature"), "\(unsigned.stderr)")
            #expect(unsigned.stderr.contains("must be signed"))

            let otherKey = cli.workDirectory.appendingPathComponent("other.key").path
            #expect(try await cli.run(["keys", "signing-key", "--out", otherKey, "--no-register"]).exitCode == 0)
            let wronglySigned = try await cli.run(["publish", package.path, "--sign-key", otherKey, "--server", server.url, "--json"])
            #expect(wronglySigned.exitCode == 1)
            let error = try wronglySigned.json()["error"]
            #expect(error?["details"]?["publishCode"] == "bad_signature")
            #expect(error?["details"]?["status"] == 422)

            let fixed = try await cli.run(["publish", package.path, "--sign-key", keyPath, "--server", server.url, "--json"])
            #expect(fixed.exitCode == 0, "\(fixed.stderr)")
            #expect(try fixed.json()["version"] == "1.0.1")
            #expect(try fixed.json()["signed"] == true)
        }
    }

    @Test("publishing a version that exists is a conflict (exit 4), reported with the server's code and message")
    func duplicateVersion() async throws {
        let cli = try CLIRunner()
        defer { cli.removeAll() }
        let package = try Fixture.copyExample("csv-stats", into: cli)
        try await ServerProcess.with(cli) { server in
            let first = try await cli.run(["publish", package.path, "--server", server.url, "--json"])
            #expect(first.exitCode == 0, "\(first.stderr)")
            #expect(try first.json()["name"] == "acme/csv-stats")
            let second = try await cli.run(["publish", package.path, "--server", server.url])
            #expect(second.exitCode == 4)
            #expect(second.stderr.hasPrefix("error: version_exists: acme/csv-stats@"), "\(second.stderr)")
            #expect(second.stderr.contains("already exists"))
            let json = try await cli.run(["publish", package.path, "--server", server.url, "--json"])
            #expect(json.exitCode == 4)
            #expect(try json.json()["error"]?["code"] == "conflict")
        }
    }

    @Test("`tools list|search|show --server` print what the local commands print, published packages included")
    func toolsAgainstTheServer() async throws {
        let cli = try CLIRunner()
        defer { cli.removeAll() }
        let package = try Fixture.copyExample("word-count", into: cli)
        try await ServerProcess.with(cli) { server in
            #expect(try await cli.run(["publish", package.path, "--server", server.url]).exitCode == 0)

            let found = try await cli.run(["tools", "search", "word", "frequency", "--server", server.url, "--json"])
            #expect(found.exitCode == 0, "\(found.stderr)")
            let names = try #require(try found.json().arrayValue).compactMap { $0["name"]?.stringValue }
            #expect(names.first == "acme/word-count/count")

            // The same data directory read locally holds the same catalog, so the output must match.
            for arguments in [["tools", "list", "--json"], ["tools", "list"], ["tools", "search", "text", "--max-privilege", "1", "--read-only"],
                              ["tools", "search", "--takes", "text:string", "--json"], ["tools", "show", "acme/word-count/count"],
                              ["tools", "show", "acme/word-count/count@1.0.0", "--json"], ["tools", "show", "hash_digest", "--json"]] {
                let remote = try await cli.run(arguments + ["--server", server.url])
                let local = try await cli.run(arguments)
                #expect(remote.exitCode == 0, "\(arguments): \(remote.stderr)")
                #expect(remote.stdout == local.stdout, "\(arguments)")
            }
            let list = try await cli.run(["tools", "list", "--json"], environment: ["TOOLHOST_SERVER": server.url])
            #expect(try list.json().arrayValue?.count == 25)
            #expect(try await cli.run(["tools", "show", "acme/word-count/nothing", "--server", server.url]).exitCode == 3)
        }
    }

    @Test("another tenant's private tool is not found (exit 3), not forbidden, and is missing from its searches")
    func privateToolsStayPrivate() async throws {
        let cli = try CLIRunner()
        defer { cli.removeAll() }
        let package = try Fixture.copyExample("word-count", into: cli)
        try await ServerProcess.with(cli) { server in
            let published = try await cli.run(["publish", package.path, "--private", "--server", server.url])
            #expect(published.exitCode == 0, "\(published.stderr)")
            #expect(published.stdout.hasSuffix("(private)\n"))
            let created = try await cli.run(["keys", "create", "--server", server.url, "--tenant", "globex", "--max-privilege", "5",
                                       "--scopes", "read", "--json"])
            let otherTenant = try #require(try created.json()["secret"]?.stringValue)

            #expect(try await cli.run(["tools", "show", "acme/word-count/count", "--server", server.url]).exitCode == 0)
            let hidden = try await cli.run(["tools", "show", "acme/word-count/count", "--server", server.url, "--key", otherTenant])
            #expect(hidden.exitCode == 3, "\(hidden.stderr)")
            #expect(hidden.stderr.hasPrefix("error: not_found:"))
            let search = try await cli.run(["tools", "search", "word", "--server", server.url, "--key", otherTenant, "--json"])
            #expect(search.exitCode == 0)
            #expect(try search.json().arrayValue?.contains { $0["name"] == "acme/word-count/count" } == false)
        }
    }

    @Test("a later version keeps the first one's visibility: without --private it says (private); --private for a public package is a conflict (exit 4)")
    func visibilityIsFixedByTheFirstPublish() async throws {
        let cli = try CLIRunner()
        defer { cli.removeAll() }
        let hidden = try Fixture.copyExample("word-count", into: cli)
        let open = try Fixture.copyExample("csv-stats", into: cli)
        try await ServerProcess.with(cli) { server in
            #expect(try await cli.run(["publish", hidden.path, "--private", "--server", server.url]).exitCode == 0)
            try Fixture.setVersion("1.1.0", of: hidden)
            let next = try await cli.run(["publish", hidden.path, "--server", server.url])
            #expect(next.exitCode == 0, "\(next.stderr)")
            #expect(next.stdout.hasPrefix("published acme/word-count@1.1.0") && next.stdout.hasSuffix("(private)\n"), "\(next.stdout)")

            #expect(try await cli.run(["publish", open.path, "--server", server.url]).exitCode == 0)
            try Fixture.setVersion("1.1.0", of: open)
            let refused = try await cli.run(["publish", open.path, "--private", "--server", server.url])
            #expect(refused.exitCode == 4, "\(refused.stdout) \(refused.stderr)")
            #expect(refused.stderr.contains("acme/csv-stats is public") && refused.stderr.contains("fixed by its first publish"), "\(refused.stderr)")
            let kept = try await cli.run(["publish", open.path, "--server", server.url, "--json"])
            #expect(kept.exitCode == 0, "\(kept.stderr)")
            #expect(try kept.json()["visibility"] == "public")
        }
    }

    @Test("the client follows the server's cursors page by page: every tool for a list, exactly the limit for a search")
    func followsCursors() async throws {
        let cli = try CLIRunner()
        defer { cli.removeAll() }
        try await ServerProcess.with(cli) { server in
            var client = RegistryClient(server: try #require(URL(string: server.url)), key: try server.adminKey)
            client.pageSize = 5
            let all = try await client.searchTools([], limit: nil)
            #expect(all.count == 24)
            #expect(Set(all).count == 24)
            #expect(try await client.searchTools([], limit: 7).count == 7)
            #expect(try await client.searchTools([URLQueryItem(name: "q", value: "file")], limit: 1).count == 1)
        }
    }
}

/// Client-side behaviour that needs no server.
@Suite("toolhost publish and the client without a server")
struct RegistryClientTests {
    @Test("`publish --dry-run` prints the same sha256 for the same tree, however it was copied, and another for a changed file")
    func deterministicPacking() async throws {
        let cli = try CLIRunner()
        defer { cli.removeAll() }
        let first = try Fixture.copyExample("word-count", into: cli, as: "one")
        try await Task.sleep(for: .seconds(1.1))  // other mtimes for the second copy
        let second = try Fixture.copyExample("word-count", into: cli, as: "two")
        func digest(_ folder: URL) async throws -> String {
            let result = try await cli.run(["publish", folder.path, "--dry-run", "--json"])
            #expect(result.exitCode == 0, "\(result.stderr)")
            return try #require(try result.json()["sha256"]?.stringValue)
        }
        let one = try await digest(first)
        #expect(one.count == 64)
        #expect(try await digest(first) == one)
        #expect(try await digest(second) == one)
        let text = try await cli.run(["publish", first.path, "--dry-run"])
        #expect(text.stdout.hasPrefix("would publish acme/word-count@1.0.0 sha256:\(one) ("))
        try Data("# changed\n".utf8).write(to: second.appendingPathComponent("README.md"))
        #expect(try await digest(second) != one)
    }

    @Test("an unreachable server exits 7 and names the URL it could not reach")
    func unreachableServer() async throws {
        let cli = try CLIRunner()
        defer { cli.removeAll() }
        let url = "http://127.0.0.1:\(try ServerProcess.freePort())"
        let result = try await cli.run(["tools", "list", "--server", url, "--timeout", "5s"])
        #expect(result.exitCode == 7, "\(result.stderr)")
        #expect(result.stderr.contains("cannot reach the server at \(url)"))
        let json = try await cli.run(["keys", "create", "--max-privilege", "1", "--scopes", "read", "--json"], environment: ["TOOLHOST_SERVER": url])
        #expect(json.exitCode == 7)
        #expect(try json.json()["error"]?["code"] == "server_unreachable")
    }

    @Test("bad client arguments are usage errors (exit 2): a server that is not a URL, an unknown scope")
    func usageErrors() async throws {
        let cli = try CLIRunner()
        defer { cli.removeAll() }
        let badServer = try await cli.run(["tools", "list", "--server", "localhost:8080"])
        #expect(badServer.exitCode == 2)
        #expect(badServer.stderr.contains("http://"))
        let badScope = try await cli.run(["keys", "create", "--max-privilege", "1", "--scopes", "read,sudo"])
        #expect(badScope.exitCode == 2)
        #expect(badScope.stderr.contains("unknown scope \"sudo\""))
        let noNamespace = try await cli.run(["keys", "signing-key", "--out", cli.workDirectory.appendingPathComponent("k").path])
        #expect(noNamespace.exitCode == 2)
        #expect(noNamespace.stderr.contains("--namespace"))
        let world = try cli.file("world.key", "{}")
        chmod(world, 0o644)
        let loose = try await cli.run(["publish", cli.workDirectory.path, "--sign-key", world, "--dry-run"])
        #expect(loose.exitCode == 1)
    }
}

/// Copies of the example packages in `Registry/examples/` to publish in a test.
enum Fixture {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Registry/examples")

    static func copyExample(_ name: String, into cli: CLIRunner, as folder: String? = nil) throws -> URL {
        let target = cli.workDirectory.appendingPathComponent(folder ?? name)
        try FileManager.default.copyItem(at: examples.appendingPathComponent(name), to: target)
        return target
    }

    /// Rewrites the version in the package's `toolhost.json`.
    static func setVersion(_ version: String, of package: URL) throws {
        let manifest = package.appendingPathComponent("toolhost.json")
        guard var members = try JSONValue(parsing: Data(contentsOf: manifest)).objectValue else { throw CocoaError(.fileReadCorruptFile) }
        members["version"] = .string(version)
        try Data(JSONValue.object(members).serialized(pretty: true).utf8).write(to: manifest)
    }
}
