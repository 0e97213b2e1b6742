import Foundation
import ToolhostCore

/// The manifests of Toolhost's own tools, kept as data in the repository's `Tools/` folder: one
/// folder per tool, each with a `toolhost.json` (schemas, privilege, examples).
public enum BuiltinManifests {
    /// The environment variable that points at the `Tools/` folder when it is not found by itself.
    public static let directoryVariable = "TOOLHOST_TOOLS_DIR"

    /// Finds the `Tools/` folder: `$TOOLHOST_TOOLS_DIR`, else the nearest `Tools/` above the
    /// executable or the working directory, else the one of the source tree this was built from.
    public static func locateDirectory(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    ) -> URL? {
        ProjectFolder.locate("Tools", containing: "hash_digest/toolhost.json", variable: directoryVariable,
                             environment: environment, currentDirectory: currentDirectory)
    }

    /// Reads every `<tool>/toolhost.json` under `directory`, sorted by folder name, and checks that
    /// each is a built-in: namespace `toolhost`, runtime `builtin`, one tool named like its folder.
    /// - Throws: ``ToolhostError`` `invalid_manifest` naming the file and field, or `invalid_input`
    ///   when the folder cannot be read.
    public static func load(from directory: URL) throws(ToolhostError) -> [LoadedManifest] {
        let folders: [String]
        do {
            folders = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        } catch {
            throw ToolhostError(.invalidInput, "\(directory.path): cannot list the built-in tools: \(error.localizedDescription)")
        }
        var manifests: [LoadedManifest] = []
        for folder in folders {
            let file = directory.appendingPathComponent(folder).appendingPathComponent("toolhost.json")
            guard FileManager.default.fileExists(atPath: file.path) else { continue }
            let loaded = try ManifestLoader.load(contentsOf: file)
            try checkIsBuiltin(loaded, folder: folder)
            manifests.append(loaded)
        }
        return manifests
    }

    private static func checkIsBuiltin(_ loaded: LoadedManifest, folder: String) throws(ToolhostError) {
        let manifest = loaded.manifest
        var problems: [String] = []
        if manifest.name != "toolhost/\(folder)" {
            problems.append("name: expected \"toolhost/\(folder)\" (built-ins are named after their folder), got \"\(manifest.name)\"")
        }
        if manifest.runtime.type != .builtin {
            problems.append("runtime.type: expected \"builtin\", got \"\(manifest.runtime.type.rawValue)\"")
        }
        if manifest.tools.map(\.name) != [folder] {
            problems.append("tools: expected exactly one tool named \"\(folder)\", got \(manifest.tools.map(\.name))")
        }
        if (manifest.tools.first?.examples ?? []).isEmpty {
            problems.append("tools[0].examples: a built-in needs at least one example")
        }
        guard problems.isEmpty else {
            throw ToolhostError(.invalidManifest, "\(loaded.source): not a valid built-in:\n" + problems.map { "  " + $0 }.joined(separator: "\n"))
        }
    }
}
