import BuiltinTools
import Foundation
import Sandbox
import Testing
import ToolhostCore

@Suite("shell_exec runs sh scripts in the sandbox")
struct ShellExecTests {
    func run(_ input: JSONValue, limits: ToolLimits? = nil, in workspace: URL? = nil) async throws -> JSONValue {
        try await ExecFixture.call("shell_exec", input, limits: limits, in: workspace)
    }

    @Test("every manifest example holds")
    func examples() async throws {
        let failures = try await ExecFixture.harness.failures(of: "shell_exec")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    @Test("the script runs as sh -c script sh args…: $0 is sh, $1… are the arguments, the workspace is the working directory")
    func positionalParameters() async throws {
        let output = try await run(["script": "echo \"$0|$#|$1|$2|$(pwd)|$HOME\"", "args": ["-n", "two words"]])
        #expect(output["stdout"] == "sh|2|-n|two words|/work|/work\n", "\(output)")
        #expect(output["outcome"] == "ok")
    }

    @Test("a non-zero exit is a result with outcome exit_nonzero")
    func exitNonzero() async throws {
        let output = try await run(["script": "false || exit 42"])
        #expect(output["outcome"] == "exit_nonzero")
        #expect(output["exitCode"] == 42)
        #expect(output["message"] == nil)
    }

    @Test("a script killed by a signal reports the signal by name")
    func signal() async throws {
        let output = try await run(["script": "echo before; kill -SEGV $$; echo after"])
        #expect(output["outcome"] == "killed_signal", "\(output)")
        #expect(output["signal"] == "SIGSEGV")
        #expect(output["exitCode"] == .null)
        #expect(output["stdout"] == "before\n")
        #expect(output["message"]?.stringValue?.contains("SIGSEGV") == true)
    }

    @Test("a script over its timeout is killed with its children, outcome wall_time_limit")
    func wallTime() async throws {
        let output = try await run(["script": "sleep 30 & sleep 30; echo never", "timeoutMs": 500])
        #expect(output["outcome"] == "wall_time_limit", "\(output)")
        #expect(output["stdout"] == "")
        #expect(output["signal"] == "SIGKILL")
    }

    @Test("output beyond the output limit is cut and flagged, outcome output_limit")
    func outputLimit() async throws {
        let output = try await run(["script": "yes 'ünïcode line' >&2"], limits: ToolLimits(timeoutMs: 20_000, outputBytes: 4096))
        #expect(output["outcome"] == "output_limit", "\(output["message"] ?? .null)")
        #expect(output["stderrTruncated"] == true)
        #expect(output["stdoutTruncated"] == false)
        #expect(output["stderr"]?.stringValue?.hasPrefix("ünïcode line\nünïcode line\n") == true)
    }

    @Test("files are visible to the script, and files it writes stay in the workspace")
    func files() async throws {
        let root = ExecFixture.workspaceDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = try await run(
            ["script": "cat conf/app.ini; tr a-z A-Z < conf/app.ini > conf/upper.ini; mkdir -p logs && echo ok > logs/run.log; ls -R",
             "files": [["path": "conf/app.ini", "content": "name=demo\n"]]],
            in: root)
        #expect(output["outcome"] == "ok", "\(output)")
        #expect(output["stdout"] == "name=demo\n.:\nconf\nlogs\n\n./conf:\napp.ini\nupper.ini\n\n./logs:\nrun.log\n", "\(output)")
        #expect(ExecFixture.listing(of: root) == ["conf", "conf/app.ini", "conf/upper.ini", "logs", "logs/run.log"])
        #expect(try String(contentsOf: root.appendingPathComponent("conf/upper.ini"), encoding: .utf8) == "NAME=DEMO\n")
    }

    @Test("the script never appears in the workspace")
    func sourceOutsideWorkspace() async throws {
        let root = ExecFixture.workspaceDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = try await run(["script": "ls -A; echo marker > seen.txt"], in: root)
        #expect(output["stdout"] == "", "\(output)")
        #expect(ExecFixture.listing(of: root) == ["seen.txt"])
    }

    @Test("the network is refused")
    func network() async throws {
        let output = try await run(["script": "python3 -I -c 'import socket; socket.create_connection((\"1.1.1.1\", 53), timeout=2)'"])
        #expect(output["outcome"] == "syscall_blocked", "\(output)")
        #expect(output["blockedSyscall"] == "socket")
    }

    @Test("the environment holds the given variables and no LD_ variable can be set")
    func environment() async throws {
        let output = try await run(["script": "echo \"$GREETING|$TZ|$LANG|$HOME\"; env | cut -d= -f1 | sort | tr '\\n' ' '",
                                    "env": ["GREETING": "hi there"]])
        let names = (["GREETING", "HOME", "LANG", "PATH", "PWD", "TZ"] + ExecFixture.sandbox.policy.environment.keys)
        #expect(output["stdout"] == .string("hi there|UTC|C.UTF-8|/work\n" + Set(names).sorted().joined(separator: " ") + " "), "\(output)")
        let failure = try await ExecFixture.failure("shell_exec", ["script": "true", "env": ["LD_LIBRARY_PATH": "/work"]])
        #expect(failure?.kind == .denied)
        #expect(failure?.message.contains("env.LD_LIBRARY_PATH") == true)
    }

    @Test("stdin reaches the script")
    func stdin() async throws {
        let output = try await run(["script": "wc -l; ", "stdin": "a\nb\nc\n"])
        #expect(output["stdout"] == "3\n", "\(output)")
    }

    @Test("a script of 300 KiB, too large for one argument, still runs with $0 and the arguments")
    func bigScript() async throws {
        var script = "n=0\n"
        var count = 0
        while script.utf8.count < 300 << 10 {
            script += "n=$((n + 1))  # padding padding padding padding padding\n"
            count += 1
        }
        script += "echo \"$n $0 $1\"\n"
        let root = ExecFixture.workspaceDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = try await run(["script": .string(script), "args": ["first"]], in: root)
        #expect(output["outcome"] == "ok", "\(output["stderr"] ?? .null)")
        #expect(output["stdout"] == .string("\(count) sh first\n"))
        #expect(ExecFixture.listing(of: root).isEmpty)
    }

    @Test("unicode output comes back as text")
    func unicode() async throws {
        let output = try await run(["script": "printf '%s\\n' \"$1\"; printf 'bad:\\377\\n'", "args": ["日本語 ✓ 🎉"]])
        #expect(output["stdout"] == "日本語 ✓ 🎉\nbad:\u{FFFD}\n", "\(output)")
    }

    @Test("a fork bomb ends at the pids limit")
    func pids() async throws {
        let output = try await run(["script": "i=0; while [ $i -lt 400 ]; do sleep 2 & i=$((i + 1)); done; wait", "timeoutMs": 20_000])
        #expect(output["outcome"] == "pids_limit", "\(output)")
        #expect(output["message"]?.stringValue?.contains("processes") == true)
    }
}
