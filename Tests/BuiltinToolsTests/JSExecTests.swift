import BuiltinTools
import Foundation
import Sandbox
import Testing
import ToolhostCore

@Suite("js_exec runs JavaScript with Node.js in the sandbox")
struct JSExecTests {
    func run(_ input: JSONValue, limits: ToolLimits? = nil, in workspace: URL? = nil) async throws -> JSONValue {
        try await ExecFixture.call("js_exec", input, limits: limits, in: workspace)
    }

    @Test("every manifest example holds")
    func examples() async throws {
        let failures = try await ExecFixture.harness.failures(of: "js_exec")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    @Test("a CommonJS program is the main module, with its arguments from process.argv[2]")
    func commonJS() async throws {
        let output = try await run(["code": "console.log(require.main === module, process.cwd(), JSON.stringify(process.argv.slice(2)))",
                                    "args": ["--flag", "two words"]])
        #expect(output["stdout"] == "true /work [\"--flag\",\"two words\"]\n", "\(output)")
        #expect(output["outcome"] == "ok")
    }

    @Test("an ES module can use import and top-level await")
    func module() async throws {
        let code = """
            import { readFileSync } from 'node:fs';
            const text = await Promise.resolve(readFileSync('in.txt', 'utf8'));
            console.log(text.trim());
            """
        let output = try await run(["code": .string(code), "moduleType": "module", "files": [["path": "in.txt", "content": "from a file\n"]]])
        #expect(output["stdout"] == "from a file\n", "\(output)")
    }

    @Test("a non-zero exit is a result with outcome exit_nonzero")
    func exitNonzero() async throws {
        let output = try await run(["code": "console.error('leaving'); process.exit(9);"])
        #expect(output["outcome"] == "exit_nonzero")
        #expect(output["exitCode"] == 9)
        #expect(output["stderr"] == "leaving\n")
    }

    @Test("an endless loop ends at the wall-clock limit")
    func wallTime() async throws {
        let output = try await run(["code": "setInterval(() => {}, 1000);", "timeoutMs": 800])
        #expect(output["outcome"] == "wall_time_limit", "\(output)")
        #expect(output["message"]?.stringValue?.contains("800 ms") == true)
    }

    @Test("a program over the memory limit ends with outcome memory_limit")
    func memory() async throws {
        let output = try await run(["code": "const keep = []; for (;;) keep.push(Buffer.alloc(16 << 20, 1));"],
                                   limits: ToolLimits(timeoutMs: 20_000, memoryBytes: 160 << 20))
        #expect(output["outcome"] == "memory_limit", "\(output)")
    }

    @Test("output beyond the output limit is cut and flagged")
    func outputLimit() async throws {
        let output = try await run(["code": "process.stdout.write('z'.repeat(10000));"], limits: ToolLimits(timeoutMs: 20_000, outputBytes: 2048))
        #expect(output["outcome"] == "output_limit", "\(output["message"] ?? .null)")
        #expect(output["stdout"] == .string(String(repeating: "z", count: 2048)))
        #expect(output["stdoutTruncated"] == true)
    }

    @Test("files written by the program stay in the workspace; the source never appears there")
    func files() async throws {
        let root = ExecFixture.workspaceDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let code = """
            const fs = require('fs');
            console.log(JSON.stringify(fs.readdirSync('.')), __filename);
            fs.writeFileSync('data/out.json', JSON.stringify({ n: JSON.parse(fs.readFileSync('data/in.json')).n * 2 }));
            """
        let output = try await run(["code": .string(code), "files": [["path": "data/in.json", "content": "{\"n\": 21}"]]], in: root)
        #expect(output["stdout"] == "[\"data\"] /toolhost/main.cjs\n", "\(output)")
        #expect(ExecFixture.listing(of: root) == ["data", "data/in.json", "data/out.json"])
        #expect(try String(contentsOf: root.appendingPathComponent("data/out.json"), encoding: .utf8) == "{\"n\":42}")
    }

    @Test("the network is refused")
    func network() async throws {
        let output = try await run(["code": "require('net').connect(80, '127.0.0.1').on('error', e => console.log('error', e.code));"])
        #expect(output["outcome"] == "syscall_blocked", "\(output)")
        #expect(output["blockedSyscall"] == "socket")
    }

    @Test("the environment holds PATH, HOME, LANG, TZ and the given variables")
    func environment() async throws {
        let output = try await run(["code": "console.log(JSON.stringify(process.env))", "env": ["MODE": "test"]])
        let environment = try JSONValue(parsing: output["stdout"]?.stringValue ?? "")
        #expect(environment["MODE"] == "test")
        #expect(environment["TZ"] == "UTC")
        #expect(environment["HOME"] == "/work")
        let expected = Set(["PATH", "HOME", "LANG", "TZ", "MODE"]).union(ExecFixture.sandbox.policy.environment.keys)
        #expect(Set(environment.objectValue?.keys.map { $0 } ?? []) == expected, "\(environment)")
    }

    @Test("stdin reaches the program")
    func stdin() async throws {
        let output = try await run(["code": "let s = ''; process.stdin.on('data', d => s += d).on('end', () => console.log(s.split('\\n').length));",
                                    "stdin": "1\n2\n3"])
        #expect(output["stdout"] == "3\n", "\(output)")
    }

    @Test("a program of 300 KiB runs, as CommonJS and as an ES module")
    func bigProgram() async throws {
        var code = "let total = 0;\n"
        var count = 0
        while code.utf8.count < 300 << 10 {
            code += "total += \(count); // padding padding padding padding\n"
            count += 1
        }
        code += "console.log(total);\n"
        for moduleType in ["commonjs", "module"] {
            let output = try await run(["code": .string(code), "moduleType": .string(moduleType)])
            #expect(output["outcome"] == "ok", "\(moduleType): \(output["stderr"] ?? .null)")
            #expect(output["stdout"] == .string("\(count * (count - 1) / 2)\n"), "\(moduleType)")
        }
    }

    @Test("unicode output comes back as text")
    func unicode() async throws {
        let output = try await run(["code": "console.log('héllo ✓ 日本語 🎉'); process.stdout.write(Buffer.from([0x61, 0xff, 0x0a]));"])
        #expect(output["stdout"] == "héllo ✓ 日本語 🎉\na\u{FFFD}\n", "\(output)")
    }
}
