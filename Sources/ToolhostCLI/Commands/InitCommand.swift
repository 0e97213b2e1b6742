import ArgumentParser
import Foundation
import ToolhostCore

/// `toolhost init [DIR] --runtime python3|node|sh [--name ns/pkg]`
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a tool package that works as it is: manifest, entrypoint, README.",
        discussion: """
            Writes toolhost.json (one tool, `hello`, with an example), the entrypoint for the runtime and a README \
            into DIR (default: the current directory), which must be empty or missing. Then: `toolhost test DIR`, \
            `toolhost run DIR hello --input '{"name": "Ada"}'`, `toolhost publish DIR`.
            """)

    @Argument(help: "The package directory (default: the current directory).")
    var directory: String = "."
    @Option(help: "The runtime: python3, node or sh.")
    var runtime: String = "python3"
    @Option(help: ArgumentHelp("The package name, namespace/package (default: local/<directory name>).", valueName: "ns/pkg"))
    var name: String?

    func run() async throws {
        guard let runtime = PackageTemplate.Runtime(rawValue: runtime) else {
            throw ValidationError("--runtime \(runtime): expected one of \(PackageTemplate.Runtime.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let target = URL(fileURLWithPath: directory)
        let template = PackageTemplate(name: name ?? PackageTemplate.defaultName(for: target), runtime: runtime)
        let files = FileManager.default
        if let existing = try? files.contentsOfDirectory(atPath: target.path), !existing.isEmpty {
            throw ToolhostError(.invalidInput, "\(target.path) is not empty (it holds \(existing.sorted().prefix(3).joined(separator: ", "))…); "
                + "init writes only into an empty or new directory")
        }
        // The manifest is checked before anything is written, so a bad --name leaves nothing behind.
        _ = try ManifestLoader.load(data: Data(template.manifest.serialized().utf8), source: "--name \(template.name)")
        try files.createDirectory(at: target, withIntermediateDirectories: true)
        for (path, text) in template.files.sorted(by: { $0.key < $1.key }) {
            try Data(text.utf8).write(to: target.appendingPathComponent(path))
        }
        if runtime == .sh {
            try files.setAttributes([.posixPermissions: 0o755], ofItemAtPath: target.appendingPathComponent(template.entrypoint).path)
        }
        Console.print("created \(template.name) (\(runtime.rawValue)) in \(target.path): toolhost.json, \(template.entrypoint), README.md")
        Console.print("next: toolhost test \(directory) · toolhost run \(directory) hello --input '{\"name\": \"Ada\"}' · toolhost publish \(directory)")
    }
}
