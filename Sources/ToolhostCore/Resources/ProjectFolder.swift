import Foundation

/// Finds the repository's data folders (`Tools/`, `Sandbox/`) at run time.
///
/// They are data, not code, so they are read from disk rather than compiled in: from the folder an
/// environment variable names, else the nearest one above the executable or the working directory,
/// else the one of the source tree this was built from.
public enum ProjectFolder {
    /// The folder `name` (e.g. `Sandbox`) that contains `marker` (e.g. `profiles/base.json`), or nil.
    public static func locate(
        _ name: String, containing marker: String, variable: String,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    ) -> URL? {
        if let configured = environment[variable], !configured.isEmpty {
            return URL(fileURLWithPath: configured)
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        let sourceTree = URL(fileURLWithPath: #filePath)  // …/Sources/ToolhostCore/Resources/ProjectFolder.swift
        for start in [executable.deletingLastPathComponent(), currentDirectory, sourceTree.deletingLastPathComponent()] {
            if let found = nearest(name, containing: marker, above: start) { return found }
        }
        return nil
    }

    private static func nearest(_ name: String, containing marker: String, above start: URL) -> URL? {
        var directory = start.standardizedFileURL
        while true {
            let candidate = directory.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent(marker).path) {
                return candidate
            }
            let parent = directory.deletingLastPathComponent()
            if parent.path == directory.path { return nil }
            directory = parent
        }
    }
}
