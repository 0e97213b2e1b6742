import BuiltinTools
import Foundation
import Sandbox
import Testing
import ToolhostCore

/// A fresh workspace directory for one test, with the real handler of a tool to call in it.
///
/// Holds the links every file tool must refuse: `out` → /etc/passwd and `up` → `..`.
struct ScratchWorkspace {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("toolhost-scratch-\(UUID().uuidString)")
    let workspace: Workspace

    init(quota: WorkspaceQuota? = nil) throws {
        workspace = try Workspace(root: root, quota: quota)
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("out").path, withDestinationPath: "/etc/passwd")
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("up").path, withDestinationPath: "..")
    }

    /// Removes the directory; call with `defer`.
    func remove() {
        try? FileManager.default.removeItem(at: root)
    }

    func url(_ path: String) -> URL {
        root.appendingPathComponent(path)
    }

    /// Writes a file (and its parent directories) directly, as fixtures.
    func put(_ path: String, _ data: Data) throws {
        try FileManager.default.createDirectory(at: url(path).deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url(path))
    }

    func put(_ path: String, _ text: String) throws {
        try put(path, Data(text.utf8))
    }

    func contents(_ path: String) throws -> Data {
        try Data(contentsOf: url(path))
    }

    /// Runs the registered handler of `tool` with `input` and the tool's manifest limits.
    func run(_ tool: String, _ input: JSONValue, limits: ToolLimits = ToolLimits()) async throws(ToolFailure) -> JSONValue {
        guard let handler = BuiltinToolbox.handler(named: tool) else { throw ToolFailure(.internalError, "no handler \(tool)") }
        return try await handler.run(input, in: ToolContext(workspace: workspace, limits: limits))
    }

    /// Runs `tool` expecting a failure; returns it (or records an issue when the call succeeded).
    func failure(_ tool: String, _ input: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) async -> ToolFailure? {
        do {
            let output = try await run(tool, input)
            Issue.record("\(tool) succeeded unexpectedly: \(output)", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    /// Checks that `tool` refuses `input` with `kind` and a message that starts with `field`.
    func expectFailure(
        _ tool: String, _ input: JSONValue, kind: ToolFailure.Kind, field: String, sourceLocation: SourceLocation = #_sourceLocation
    ) async {
        guard let error = await failure(tool, input, sourceLocation: sourceLocation) else { return }
        #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
        #expect(error.message.hasPrefix(field + ":") || error.message.hasPrefix(field + "["), "\(error)", sourceLocation: sourceLocation)
    }

    /// Checks that `..`, an absolute path and the links `out` and `up/…` are refused as `denied`,
    /// naming `field`, with `input(path)` building the call for each path.
    func expectConfined(_ tool: String, field: String, sourceLocation: SourceLocation = #_sourceLocation, _ input: (String) -> JSONValue) async {
        for path in ["../escape.txt", "a/../../escape.txt", "/etc/passwd", "out", "up/escape.txt"] {
            guard let error = await failure(tool, input(path), sourceLocation: sourceLocation) else { continue }
            #expect(error.kind == .denied, "\(path): \(error)", sourceLocation: sourceLocation)
            #expect(error.message.hasPrefix(field), "\(path): \(error)", sourceLocation: sourceLocation)
        }
        #expect(!FileManager.default.fileExists(atPath: root.deletingLastPathComponent().appendingPathComponent("escape.txt").path))
    }
}
