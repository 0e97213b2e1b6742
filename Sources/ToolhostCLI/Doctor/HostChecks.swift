import CArchive
import CCurl
import CSeccomp
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Sandbox
import ToolhostCore

/// The checks of `toolhost doctor` beyond the kernel's: the launcher, the interpreters, the
/// libraries, a real run, the data directory and a server.
enum HostChecks {
    /// The launcher and the policy: a sandbox can be created.
    static func sandbox() -> (SandboxDiagnostics.Finding, Sandbox?) {
        do {
            let sandbox = try Sandbox()
            guard FileManager.default.isExecutableFile(atPath: sandbox.launcherPath) else {
                return (.init(ok: false, detail: "\(sandbox.launcherPath) is not an executable file",
                              fix: "build it with `swift build`, or point \(Sandbox.launcherVariable) at toolhost-sandbox"), sandbox)
            }
            return (.init(ok: true, detail: "\(sandbox.launcherPath), \(sandbox.policy.profiles.count) seccomp profiles"), sandbox)
        } catch {
            return (.init(ok: false, detail: error.message,
                          fix: "build it with `swift build` (it lands next to toolhost), or set \(Sandbox.launcherVariable) and \(SandboxPolicy.directoryVariable)"),
                    nil)
        }
    }

    /// An interpreter a seccomp profile runs: it must be the system's, at the path the sandbox uses.
    static func interpreter(_ path: String, package: String, neededBy: String) -> SandboxDiagnostics.Finding {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            return .init(ok: false, detail: "\(path) is missing, so \(neededBy) cannot run", fix: "apt-get install \(package)")
        }
        return .init(ok: true, detail: path)
    }

    /// The C libraries Toolhost links, by the versions they report.
    static func libraries() -> SandboxDiagnostics.Finding {
        let curl = String(cString: curl_version())
        let archive = String(cString: archive_version_string())
        let seccomp = seccomp_version().pointee
        return .init(ok: true, detail: "\(curl.split(separator: " ").first ?? "libcurl"), \(archive), "
            + "libseccomp/\(seccomp.major).\(seccomp.minor).\(seccomp.micro)")
    }

    /// A real run of `/bin/true` and of Python's `print(1)`, as a tool's run would be.
    static func trialRun(_ sandbox: Sandbox?) async -> SandboxDiagnostics.Finding {
        guard let sandbox else { return .init(ok: false, detail: "no sandbox to run in (see above)") }
        var limits = sandbox.policy.defaults
        limits.wallTimeMs = 10_000
        var details: [String] = []
        for (profile, command) in [("sh", ["/bin/true"]), ("python3", ["/usr/bin/python3", "-I", "-c", "print(1)"])] {
            do {
                let result = try await sandbox.run(SandboxRequest(profile: profile, command: command, limits: limits))
                guard result.outcome == .ok else {
                    return .init(ok: false, detail: "\(command.joined(separator: " ")) ended as \(result.outcome.rawValue): \(result.detail ?? "no detail")",
                                 fix: "fix the failed checks above; the detail names the stage that failed")
                }
                details.append(String(format: "%@ in %.1f ms", profile, result.usage.wallMs))
            } catch {
                return .init(ok: false, detail: error.message)
            }
        }
        await sandbox.quiesce()
        return .init(ok: true, detail: details.joined(separator: ", "))
    }

    /// The data directory: usable by this user, and private to it.
    static func dataDirectory(_ url: URL) -> SandboxDiagnostics.Finding {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path) else {
            let parent = url.deletingLastPathComponent().path
            guard access(parent, W_OK | X_OK) == 0 else {
                return .init(ok: false, detail: "\(url.path) does not exist and \(parent) is not writable by this user",
                             fix: "choose another one with --data-dir or TOOLHOST_DATA")
            }
            return .init(ok: true, detail: "\(url.path) does not exist yet; the first command creates it")
        }
        guard attributes[.type] as? FileAttributeType == .typeDirectory, access(url.path, R_OK | W_OK | X_OK) == 0 else {
            return .init(ok: false, detail: "\(url.path) is not a directory this user can read and write",
                         fix: "chown it to this user, or choose another one with --data-dir")
        }
        let mode = (attributes[.posixPermissions] as? Int ?? 0) & 0o777
        guard mode & 0o022 == 0 else {
            return .init(ok: false, detail: "\(url.path) is writable by others (mode \(String(mode, radix: 8)))", fix: "chmod go-w \(url.path)")
        }
        return .init(ok: true, detail: "\(url.path) (mode \(String(mode, radix: 8)))")
    }

    /// Whether a server answers `/healthz` at `url`; nobody needs one for local commands.
    static func server(_ url: URL) async -> SandboxDiagnostics.Finding {
        let health = url.appendingPathComponent("healthz")
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 2
        configuration.timeoutIntervalForResource = 2
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        do {
            let (_, response) = try await session.data(for: URLRequest(url: health, timeoutInterval: 2))
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            guard status == 200 else {
                return .init(ok: false, detail: "\(health.absoluteString) answered \(status)", fix: "is that a Toolhost server?")
            }
            return .init(ok: true, detail: "\(url.absoluteString) answers")
        } catch {
            return .init(ok: false, detail: "no server answers at \(url.absoluteString)",
                         fix: "start one with `make run` or `toolhost serve`, or name another with --server (only needed for publish and --server)")
        }
    }
}
