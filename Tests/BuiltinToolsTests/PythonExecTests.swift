import BuiltinTools
import Foundation
import Sandbox
import Testing
import ToolhostCore

@Suite("python_exec runs Python in the sandbox")
struct PythonExecTests {
    func run(_ input: JSONValue, limits: ToolLimits? = nil, in workspace: URL? = nil) async throws -> JSONValue {
        try await ExecFixture.call("python_exec", input, limits: limits, in: workspace)
    }

    @Test("every manifest example holds")
    func examples() async throws {
        let failures = try await ExecFixture.harness.failures(of: "python_exec")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    @Test("a program runs as the main script from outside the workspace, in isolated mode")
    func mainScript() async throws {
        let output = try await run(["code": "import sys, os\nprint(__name__, sys.flags.isolated, os.getcwd(), sys.argv[1:])\n",
                                    "args": ["-x", "two words"]])
        #expect(output["stdout"] == "__main__ 1 /work ['-x', 'two words']\n", "\(output)")
        #expect(output["outcome"] == "ok")
        #expect(output["signal"] == .null)
        #expect(output["message"] == nil)
    }

    @Test("a non-zero exit is a result with outcome exit_nonzero, and a traceback quotes the failing line")
    func exitNonzero() async throws {
        let output = try await run(["code": "x = 1\nraise ValueError('bad value')\n"])
        #expect(output["outcome"] == "exit_nonzero")
        #expect(output["exitCode"] == 1)
        let stderr = output["stderr"]?.stringValue ?? ""
        #expect(stderr.contains("raise ValueError('bad value')") && stderr.contains("ValueError: bad value"), "\(stderr)")
    }

    @Test("a program over its timeout is killed with outcome wall_time_limit, and the report carries the run")
    func wallTime() async throws {
        let report = ToolRunReport()
        let output = try await ExecFixture.call(
            "python_exec", ["code": "import time\nprint('started', flush=True)\ntime.sleep(30)\n", "timeoutMs": 700], report: report)
        #expect(output["outcome"] == "wall_time_limit", "\(output)")
        #expect(output["stdout"] == "started\n")
        #expect(output["exitCode"] == .null)
        #expect(output["signal"] == "SIGKILL")
        #expect(output["message"]?.stringValue?.contains("700 ms") == true, "\(output)")
        let wallMs = output["usage"]?["wallMs"]?.doubleValue ?? 0
        #expect(wallMs >= 700 && wallMs < 10_000, "\(wallMs)")
        #expect(report.sandboxRun?.outcome == .wallTimeLimit)
        #expect(report.sandboxRun?.usage.wallMs == wallMs)
    }

    @Test("the tool's time limit caps the input's timeoutMs")
    func toolLimitCapsTimeout() async throws {
        let output = try await run(["code": "import time\ntime.sleep(30)\n", "timeoutMs": 120_000], limits: ToolLimits(timeoutMs: 400))
        #expect(output["outcome"] == "wall_time_limit", "\(output)")
        #expect(output["message"]?.stringValue?.contains("400 ms") == true, "\(output)")
    }

    @Test("a program over the memory limit ends with outcome memory_limit")
    func memory() async throws {
        let output = try await run(["code": "chunks = []\nwhile True:\n    chunks.append(b'x' * (16 << 20))\n"],
                                   limits: ToolLimits(timeoutMs: 20_000, memoryBytes: 96 << 20))
        #expect(output["outcome"] == "memory_limit", "\(output)")
        #expect(output["message"]?.stringValue?.contains("\(96 << 20) bytes") == true, "\(output)")
        #expect((output["usage"]?["peakMemoryBytes"]?.intValue ?? 0) > 64 << 20, "\(output)")
    }

    @Test("output beyond the output limit is cut there, flagged, and ends the run with outcome output_limit")
    func outputLimit() async throws {
        let output = try await run(["code": "import sys\nsys.stdout.write('a' * 5000)\nsys.stderr.write('short')\n"],
                                   limits: ToolLimits(timeoutMs: 20_000, outputBytes: 1000))
        #expect(output["outcome"] == "output_limit", "\(output)")
        #expect(output["stdout"] == .string(String(repeating: "a", count: 1000)))
        #expect(output["stdoutTruncated"] == true)
        #expect(output["stderrTruncated"] == false)
        #expect(output["message"]?.stringValue?.contains("1000 bytes") == true)
    }

    @Test("files are written into the workspace before the run, and files the program writes stay there")
    func files() async throws {
        let root = ExecFixture.workspaceDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let code = """
            import os
            print(open('in/data.txt').read(), open('in/blob.bin', 'rb').read().hex())
            with open('in/data.txt', 'a') as f: f.write(' and more')
            os.makedirs('out', exist_ok=True)
            with open('out/result.txt', 'w') as f: f.write('done')
            with open('in/new.txt', 'w') as f: f.write('beside')
            print(sorted(os.listdir('.')))
            """
        let output = try await run(
            ["code": .string(code), "files": [["path": "in/data.txt", "content": "héllo"],
                                              ["path": "in/blob.bin", "content": "AAEC/w==", "encoding": "base64"]]],
            in: root)
        #expect(output["outcome"] == "ok", "\(output)")
        #expect(output["stdout"] == "héllo 000102ff\n['in', 'out']\n")
        #expect(ExecFixture.listing(of: root) == ["in", "in/blob.bin", "in/data.txt", "in/new.txt", "out", "out/result.txt"])
        #expect(try String(contentsOf: root.appendingPathComponent("in/data.txt"), encoding: .utf8) == "héllo and more")
        #expect(try String(contentsOf: root.appendingPathComponent("out/result.txt"), encoding: .utf8) == "done")
    }

    @Test("the program's source never appears in the workspace, not even while it runs")
    func sourceOutsideWorkspace() async throws {
        let root = ExecFixture.workspaceDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let code = "import os\n# MARKER-7f3a\nprint(os.listdir('.'), __file__)\n"
        let output = try await run(["code": .string(code)], in: root)
        #expect(output["stdout"] == "[] /toolhost/main.py\n", "\(output)")
        #expect(ExecFixture.listing(of: root).isEmpty)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)
            .filter { $0.hasPrefix("toolhost-exec-") && !$0.hasPrefix("toolhost-test-exec-") }
        #expect(leftovers.allSatisfy { name in
            !((try? String(contentsOfFile: FileManager.default.temporaryDirectory.appendingPathComponent(name).appendingPathComponent("main.py").path,
                           encoding: .utf8))?.contains("MARKER-7f3a") ?? false)
        }, "the source file was left on the host: \(leftovers)")
    }

    @Test("the network is refused: an AF_INET socket ends the run as syscall_blocked")
    func network() async throws {
        let output = try await run(["code": "import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\nprint('opened')\n"])
        #expect(output["outcome"] == "syscall_blocked", "\(output)")
        #expect(output["blockedSyscall"] == "socket")
        #expect(output["stdout"] == "")
        #expect(output["message"]?.stringValue?.contains("socket") == true)
    }

    @Test("the environment holds only PATH, HOME, LANG, TZ, the sandbox's fixed variables and the given ones")
    func environment() async throws {
        let output = try await run(["code": "import os, json\nprint(json.dumps(dict(os.environ), sort_keys=True))\n",
                                    "env": ["GREETING": "hi there", "EMPTY": ""]])
        let environment = try JSONValue(parsing: output["stdout"]?.stringValue ?? "")
        #expect(environment["HOME"] == "/work")
        #expect(environment["LANG"] == "C.UTF-8")
        #expect(environment["TZ"] == "UTC")
        #expect(environment["PATH"]?.stringValue?.isEmpty == false)
        #expect(environment["GREETING"] == "hi there")
        #expect(environment["EMPTY"] == "")
        let expected = Set(["PATH", "HOME", "LANG", "TZ", "GREETING", "EMPTY"]).union(ExecFixture.sandbox.policy.environment.keys)
        #expect(Set(environment.objectValue?.keys.map { $0 } ?? []) == expected, "\(environment)")
    }

    @Test("LD_ variables are refused by the handler too, naming the variable")
    func loaderVariables() async throws {
        let failure = try await ExecFixture.failure("python_exec", ["code": "print(1)", "env": ["LD_PRELOAD": "/work/x.so"]])
        #expect(failure?.kind == .denied)
        #expect(failure?.message.contains("env.LD_PRELOAD") == true, "\(String(describing: failure))")
    }

    @Test("bad files, arguments and a missing sandbox fail naming the field")
    func badInput() async throws {
        let escape = try await ExecFixture.failure("python_exec", ["code": "print(1)", "files": [["path": "../x", "content": ""]]])
        #expect(escape?.kind == .denied)
        #expect(escape?.message.hasPrefix("files[0].path: ") == true, "\(String(describing: escape))")
        let base64 = try await ExecFixture.failure(
            "python_exec", ["code": "print(1)", "files": [["path": "a", "content": "a"], ["path": "b", "content": "*!", "encoding": "base64"]]])
        #expect(base64?.kind == .invalidArgument)
        #expect(base64?.message.hasPrefix("files[1].content: ") == true, "\(String(describing: base64))")
        let nul = try await ExecFixture.failure("python_exec", ["code": "print(1)", "args": ["ok", "a\u{0}b"]])
        #expect(nul?.kind == .invalidArgument)
        #expect(nul?.message.hasPrefix("args[1]: ") == true, "\(String(describing: nul))")
        let unconfigured = try await ExecFixture.failure("python_exec", ["code": "print(1)"], sandbox: nil)
        #expect(unconfigured?.kind == .notConfigured)
    }

    @Test("args and env too large for a command line are refused as too_large")
    func commandLineTooLarge() async throws {
        var env: [String: JSONValue] = [:]
        for index in 0..<40 { env["V\(index)"] = .string(String(repeating: "v", count: 32_000)) }
        let failure = try await ExecFixture.failure("python_exec", ["code": "print(1)", "env": .object(env)])
        #expect(failure?.kind == .tooLarge)
        #expect(failure?.message.hasPrefix("args and env: ") == true, "\(String(describing: failure))")
    }

    @Test("stdin reaches the program")
    func stdin() async throws {
        let output = try await run(["code": "import sys\ndata = sys.stdin.read()\nprint(len(data), data.upper())\n", "stdin": "größe\nzwei\n"])
        #expect(output["stdout"] == "11 GRÖSSE\nZWEI\n\n", "\(output)")
    }

    @Test("a program of 300 KiB runs")
    func bigProgram() async throws {
        var code = "total = 0\n"
        var index = 0
        while code.utf8.count < 300 << 10 {
            code += "total += \(index)  # padding padding padding padding\n"
            index += 1
        }
        code += "print(total)\n"
        let output = try await run(["code": .string(code)])
        #expect(output["outcome"] == "ok", "\(output["stderr"] ?? .null)")
        #expect(output["stdout"] == .string("\(index * (index - 1) / 2)\n"))
    }

    @Test("unicode output is returned as text, and invalid UTF-8 becomes U+FFFD")
    func unicode() async throws {
        let code = "import sys\nprint('héllo ✓ 日本語 🎉')\nsys.stdout.flush()\nsys.stdout.buffer.write(b'a\\xffb\\n')\n"
        let output = try await run(["code": .string(code)])
        #expect(output["stdout"] == "héllo ✓ 日本語 🎉\na\u{FFFD}b\n", "\(output)")
    }

    @Test("the applied limits never exceed the policy's maximums for EXECUTE_SAFE")
    func limitsAreClamped() async throws {
        let output = try await run(["code": "import time\ntime.sleep(30)\n", "timeoutMs": 500],
                                   limits: ToolLimits(timeoutMs: 10_000_000, memoryBytes: 1 << 40, outputBytes: 1 << 40))
        #expect(output["outcome"] == "wall_time_limit", "\(output)")
        #expect(output["message"]?.stringValue?.contains("500 ms") == true, "\(output)")
        let huge = try await run(["code": "import sys\nsys.stdout.write('x' * (9 << 20))\n"],
                                 limits: ToolLimits(timeoutMs: 60_000, memoryBytes: 1 << 40, outputBytes: 1 << 40))
        let maximum = ExecFixture.sandbox.policy.maximum(for: .executeSafe).outputBytes
        #expect(huge["outcome"] == "output_limit", "\(huge["message"] ?? .null)")
        #expect(huge["stdout"]?.stringValue?.utf8.count == maximum)
    }
}
