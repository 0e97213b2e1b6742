import ArgumentParser
import Foundation
import Sandbox

/// `toolhost doctor`: whether this machine can run sandboxed tools, and what to do when it cannot.
struct DoctorCommand: AsyncParsableCommand, OutputtingCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check that this machine can run sandboxed tools, and say how to fix what is missing.",
        discussion: """
            Checks user namespaces, seccomp, a writable cgroup, the launcher, the interpreters the profiles
            use, the libraries, a real sandboxed run, the data directory, and whether a server answers.
            Exit code: 0 when sandboxed tools can run here (warnings allowed), 1 otherwise.
            """
    )

    @OptionGroup var data: DataDirectoryOptions
    @Option(help: ArgumentHelp("The server to look for (default: $TOOLHOST_SERVER, else \(ServerOptions.defaultServer)).", valueName: "url"))
    var server: String?
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let checks = await Self.checks(dataDirectory: data.url, server: try serverURL())
        let ok = !checks.contains { $0.status == .failed }
        if output.json {
            struct Report: Encodable {
                var ok: Bool
                var checks: [DoctorCheck]
            }
            try Console.printJSON(Report(ok: ok, checks: checks))
        } else {
            for check in checks { Console.print(check.text) }
            let failed = checks.filter { $0.status == .failed }.count
            Console.print(ok ? "sandboxed tools can run here" : "sandboxed tools cannot run here: \(failed) check\(failed == 1 ? "" : "s") failed")
        }
        if !ok { throw ExitCode(1) }
    }

    private func serverURL() throws -> URL {
        let text = server ?? ProcessInfo.processInfo.environment["TOOLHOST_SERVER"].flatMap { $0.isEmpty ? nil : $0 } ?? ServerOptions.defaultServer
        return try ServerOptions.parse(text)
    }

    /// Every check, in the order a reader fixes them.
    static func checks(dataDirectory: URL, server: URL) async -> [DoctorCheck] {
        let (sandboxFinding, sandbox) = HostChecks.sandbox()
        var checks = [
            DoctorCheck("user namespaces", SandboxDiagnostics.userNamespaces()),
            DoctorCheck("seccomp", SandboxDiagnostics.seccomp()),
            DoctorCheck("cgroups", SandboxDiagnostics.cgroups()),
            DoctorCheck("launcher", sandboxFinding),
            DoctorCheck("python3", HostChecks.interpreter("/usr/bin/python3", package: "python3", neededBy: "python_exec and python3 packages")),
            DoctorCheck("sh", HostChecks.interpreter("/bin/sh", package: "dash", neededBy: "shell_exec and sh packages")),
            DoctorCheck("node", HostChecks.interpreter("/usr/bin/node", package: "nodejs", neededBy: "js_exec and node packages"), required: false),
            DoctorCheck("libraries", HostChecks.libraries()),
        ]
        checks.append(DoctorCheck("sandboxed run", await HostChecks.trialRun(sandbox)))
        checks.append(DoctorCheck("data directory", HostChecks.dataDirectory(dataDirectory)))
        checks.append(DoctorCheck("server", await HostChecks.server(server), required: false))
        return checks
    }
}
