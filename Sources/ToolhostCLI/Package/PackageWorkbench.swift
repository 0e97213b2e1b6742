import Foundation
import Host
import Registry
import Sandbox
import ToolhostCore

/// A package directory run exactly as a host runs it once published: packed, published through
/// the registry's checks into a scratch data directory of its own, and called through
/// `ToolHost.invoke` in the real sandbox — the same limits, permissions, workspace rules, output
/// validation, results and error codes. Nothing of the user's data directory is touched.
///
/// A call that the approval gate holds (level 3 and above) is approved at once by the local
/// administrator: the author is running their own code, and the result says so.
final class PackageWorkbench {
    let manifest: PackageManifest
    private let host: ToolHost
    private let sandbox: Sandbox
    private let scratch: URL

    /// Packs and publishes `directory`.
    /// - Throws: ``ToolhostError``: the manifest's or the archive's problems exactly as a publish
    ///   reports them, or `storage` when this machine cannot run the sandbox (see `toolhost doctor`).
    init(directory: URL) async throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("toolhost-workbench-\(UUID().uuidString)")
        do {
            sandbox = try Sandbox()
        } catch {
            throw ToolhostError(.storage, "\(error.message); `toolhost doctor` says what this machine is missing")
        }
        let archive = try PackageArchiveWriter().pack(directory: directory)
        let store = try await DataDirectory.open(scratch)
        var request = PublishRequest(archive: archive, caller: .localAdmin)
        request.limitDefaults = sandbox.policy.toolLimitDefaults
        do {
            _ = try await store.registry.publishing.publish(request)
            host = try await store.host(sandbox: sandbox)
        } catch {
            try? FileManager.default.removeItem(at: scratch)
            throw error
        }
        manifest = try ManifestLoader.load(contentsOf: directory.appendingPathComponent("toolhost.json"), limitDefaults: request.limitDefaults).manifest
    }

    /// The package's tool named `name`, or its only tool when `name` is nil.
    /// - Throws: ``ToolhostError`` `not_found` naming the tools there are, `invalid_input` when the
    ///   package has several and none was named.
    func tool(named name: String?) throws(ToolhostError) -> ToolDefinition {
        let names = manifest.tools.map(\.name).joined(separator: ", ")
        guard let name else {
            guard manifest.tools.count == 1 else {
                throw ToolhostError(.invalidInput, "\(manifest.name) has \(manifest.tools.count) tools (\(names)): name one")
            }
            return manifest.tools[0]
        }
        guard let tool = manifest.tools.first(where: { $0.name == name }) else {
            throw ToolhostError(.notFound, "\(manifest.name) has no tool \"\(name)\"; its tools: \(names)")
        }
        return tool
    }

    /// Calls `tool` with `input` (and `secrets`, which a host would take from its configuration).
    func call(_ tool: ToolDefinition, input: JSONValue, secrets: [String: String] = [:]) async throws -> ToolCallOutcome {
        var call = ToolCall(tool: "\(manifest.name)/\(tool.name)", input: input, caller: .localAdmin)
        call.secrets = secrets
        let outcome = try await host.invoke(call)
        guard case .pendingApproval(let approval) = outcome else { return outcome }
        let approved = try await host.approve(approval.id, by: .localAdmin, reason: "local run of the package directory")
        guard let result = approved.result else { return .pendingApproval(approved) }
        return .completed(result)
    }

    /// A unified diff of two JSON values pretty-printed, from the `text_diff` built-in.
    func diff(expected: JSONValue, actual: JSONValue) async -> String {
        let input: JSONValue = [
            "original": .string(expected.serialized(pretty: true) + "\n"), "modified": .string(actual.serialized(pretty: true) + "\n"),
            "originalName": "expected", "modifiedName": "actual",
        ]
        guard let outcome = try? await host.invoke(ToolCall(tool: "text_diff", input: input, caller: .localAdmin)),
              case .completed(let result) = outcome, let diff = result.output["diff"]?.stringValue else {
            return "expected: \(expected.serialized())\nactual:   \(actual.serialized())"
        }
        return diff
    }

    /// Waits for the spans and the sandbox's teardowns, then removes the scratch data directory.
    func close() async {
        await host.drain()
        await sandbox.quiesce()
        try? FileManager.default.removeItem(at: scratch)
    }
}
