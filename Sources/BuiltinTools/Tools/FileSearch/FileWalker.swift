/// Lists the regular files below a workspace directory whose paths match a glob, without
/// following symbolic links, skipping hidden names unless asked.
struct FileWalker {
    /// A file found, with its size from the listing.
    struct File {
        var path: WorkspacePath
        var size: Int
    }

    let workspace: Workspace
    let glob: FileGlob
    let includeHidden: Bool
    /// The call's time limit, checked once per directory.
    let limit: RegexTimeLimit

    /// The matching files below `directory`, ordered by path in Unicode code point order.
    /// - Throws: ``ToolFailure`` `not_found` or `invalid_argument` naming `directory` when it is
    ///   missing or not a directory, `denied` for a link out, or the time limit's failure.
    func files(below directory: WorkspacePath) throws(ToolFailure) -> [File] {
        switch try workspace.entry(at: directory)?.kind {
        case nil:
            throw ToolFailure(.notFound, "\(directory.field): \"\(directory)\" does not exist in the workspace")
        case .file?, .other?:
            throw ToolFailure(.invalidArgument, "\(directory.field): \"\(directory)\" is not a directory")
        case .directory?, .symlink?:
            break
        }
        var states = glob.start
        if !directory.isRoot {
            for component in directory.value.split(separator: "/") {
                states = glob.advance(states, through: String(component))
            }
        }
        var files: [File] = []
        try walk(directory, states: states, into: &files)
        return files.sorted { $0.path.value.unicodeScalars.lexicographicallyPrecedes($1.path.value.unicodeScalars) }
    }

    private func walk(_ directory: WorkspacePath, states: Set<FileGlob.State>, into files: inout [File]) throws(ToolFailure) {
        try limit.check()
        for entry in try workspace.entries(of: directory) {
            if !includeHidden, entry.name.hasPrefix(".") { continue }
            let next = glob.advance(states, through: entry.name)
            guard !next.isEmpty else { continue }
            let path = directory.appending(entry.name)
            switch entry.kind {
            case .file where glob.accepts(next):
                files.append(File(path: path, size: entry.size))
            case .directory:
                try walk(path, states: next, into: &files)
            default:
                continue  // links are not followed; sockets, fifos and devices are not files
            }
        }
    }
}
