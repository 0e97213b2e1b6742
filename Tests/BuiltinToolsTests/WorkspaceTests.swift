import BuiltinTools
import Foundation
import Testing

@Suite("A workspace confines file access")
struct WorkspaceTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("toolhost-ws-\(UUID().uuidString)")

    func workspace() throws -> Workspace {
        try Workspace(root: root)
    }

    @Test("absolute paths, .. segments and empty segments are refused by syntax, naming the field")
    func syntaxRules() {
        for (raw, kind) in [("/etc/passwd", ToolFailure.Kind.denied), ("a/../../x", .denied), ("..", .denied),
                            ("a//b", .invalidArgument), ("", .invalidArgument), ("a\\b", .invalidArgument)] {
            #expect(throws: ToolFailure.self, "\(raw)") { try WorkspacePath(raw, field: "files[1].path") }
            do {
                _ = try WorkspacePath(raw, field: "files[1].path")
            } catch {
                #expect(error.kind == kind, "\(raw)")
                #expect(error.message.hasPrefix("files[1].path: "), "\(error.message)")
            }
        }
        #expect((try? WorkspacePath("./docs/./a.txt", field: "path"))?.value == "docs/a.txt")
        #expect((try? WorkspacePath("docs/", field: "path"))?.value == "docs")
        #expect((try? WorkspacePath(".", field: "path"))?.isRoot == true)
    }

    @Test("a symbolic link that leaves the workspace is refused; one that stays inside is followed")
    func symlinks() throws {
        let workspace = try workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        try "inside".write(to: root.appendingPathComponent("real.txt"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("out").path, withDestinationPath: "/etc/passwd")
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("up").path, withDestinationPath: "..")
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("in").path, withDestinationPath: "real.txt")

        #expect(String(decoding: try workspace.read(WorkspacePath("in", field: "path"), maxBytes: 100), as: UTF8.self) == "inside")
        for name in ["out", "up/etc/passwd"] {
            do {
                _ = try workspace.read(WorkspacePath(name, field: "path"), maxBytes: 1 << 20)
                Issue.record("\(name) was read")
            } catch {
                #expect(error.kind == .denied, "\(name): \(error)")
            }
        }
        // Writing through the link out must not touch the target.
        do {
            try workspace.write(Data("x".utf8), to: WorkspacePath("up/escaped.txt", field: "path"), mode: .createNew, createParents: false)
            Issue.record("wrote through a link out")
        } catch {
            #expect(error.kind == .denied)
        }
        #expect(!FileManager.default.fileExists(atPath: root.deletingLastPathComponent().appendingPathComponent("escaped.txt").path))
    }

    @Test("write modes: createNew refuses an existing file, overwrite replaces, append adds; parents on request")
    func writeModes() throws {
        let workspace = try workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let path = try WorkspacePath("logs/today.txt", field: "path")
        #expect(throws: ToolFailure.self) { try workspace.write(Data("a".utf8), to: path, mode: .createNew, createParents: false) }
        try workspace.write(Data("a".utf8), to: path, mode: .createNew, createParents: true)
        #expect(throws: ToolFailure.self) { try workspace.write(Data("b".utf8), to: path, mode: .createNew, createParents: false) }
        try workspace.write(Data("b".utf8), to: path, mode: .append, createParents: false)
        #expect(try workspace.read(path, maxBytes: 10) == Data("ab".utf8))
        try workspace.write(Data("c".utf8), to: path, mode: .overwrite, createParents: false)
        #expect(try workspace.read(path, maxBytes: 10) == Data("c".utf8))
        #expect(try workspace.entries(of: WorkspacePath("logs", field: "path")).map(\.name) == ["today.txt"])
        do {
            _ = try workspace.read(path, maxBytes: 0)
            Issue.record("read past the limit")
        } catch {
            #expect(error.kind == .tooLarge)
        }
        #expect(try workspace.linkFreePath(of: path).value == "logs/today.txt")
        try workspace.createSymbolicLink(at: WorkspacePath("alias", field: "path"), target: "logs")
        #expect(try workspace.linkFreePath(of: WorkspacePath("alias/today.txt", field: "path")).value == "logs/today.txt")
    }
}
