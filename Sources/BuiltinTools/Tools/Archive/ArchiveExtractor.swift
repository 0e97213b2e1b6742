import ArchiveSupport
import CArchive
import CSandboxSupport
import Foundation
import Glibc

/// Lists or extracts one archive of the workspace.
struct ArchiveExtractor {
    let workspace: Workspace
    let archive: WorkspacePath
    let format: ArchiveFormat
    let archiveBytes: Int
    let limits: ArchiveLimits
    let deadline: ContinuousClock.Instant

    /// Opens nothing yet: checks that `archive` is a regular file and reads its format from its
    /// first bytes (`requested`, when given, must agree).
    /// - Throws: ``ToolFailure`` `not_found`, `denied`, `invalid_argument` (not zip or tar.gz, or
    ///   not the format requested).
    init(workspace: Workspace, archive: WorkspacePath, requested: ArchiveFormat?, limits: ArchiveLimits, deadline: ContinuousClock.Instant)
        throws(ToolFailure)
    {
        self.workspace = workspace
        self.archive = archive
        self.limits = limits
        self.deadline = deadline
        let (magic, size) = try workspace.withDescriptor(archive, flags: O_RDONLY | O_NONBLOCK) { descriptor throws(ToolFailure) in
            var info = stat()
            guard fstat(descriptor, &info) == 0 else { throw workspace.failure(errno, archive) }
            guard info.st_mode & S_IFMT == S_IFREG else { throw ToolFailure(.invalidArgument, "archive: \"\(archive)\" is not a regular file") }
            var magic = [UInt8](repeating: 0, count: 4)
            let count = magic.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, 4, 0) }
            return (Array(magic.prefix(max(0, count))), Int(info.st_size))
        }
        guard let format = ArchiveFormat.fromContent(magic) else {
            throw ToolFailure(.invalidArgument, "archive: \"\(archive)\" is not a zip or tar.gz archive (by its first bytes)")
        }
        if let requested, requested != format {
            throw ToolFailure(.invalidArgument, "format: \"\(archive)\" is a \(format.rawValue) archive by its content, not \(requested.rawValue)")
        }
        self.format = format
        archiveBytes = size
    }

    /// The archive's entries in archive order, each checked as for extraction.
    func list() throws(ToolFailure) -> [ArchiveEntryInfo] {
        try workspace.withDescriptor(archive, flags: O_RDONLY) { descriptor throws(ToolFailure) in
            try headers(descriptor)
        }
    }

    /// Unpacks into `destination` (created if missing) and returns the entries in archive order.
    /// - Throws: ``ToolFailure``: the entry checks, `invalid_argument` for an existing target,
    ///   `too_large` for the expansion caps, `workspace_quota`, `timeout`; nothing this call created is left behind.
    func extract(into destination: WorkspacePath) throws(ToolFailure) -> [ArchiveEntryInfo] {
        try workspace.withDescriptor(archive, flags: O_RDONLY) { descriptor throws(ToolFailure) in
            let entries = try headers(descriptor)
            let declared = entries.reduce(0) { $0 + $1.size }
            let budget = limits.budget(archiveBytes: archiveBytes)
            if declared > budget {
                throw ToolFailure(
                    .tooLarge,
                    "archive: \"\(archive)\" (\(archiveBytes) bytes) declares \(declared) bytes of content, more than the \(budget) bytes "
                        + "extraction allows (\(limits.maxExpansionRatio)× the archive's size, at most \(limits.maxExpandedBytes) bytes)")
            }
            try workspace.ensureRoom(forBytes: declared, entries: entries.count, field: "destination")
            var writer = ArchiveTreeWriter(workspace: workspace, destination: destination)
            do throws(ToolFailure) {
                try writer.ensureDirectory(destination)
                try checkTargets(entries, destination: destination)
                try write(entries, from: descriptor, with: &writer)
                // Declared sizes can understate; what was really written is rolled back below if it does not fit.
                try workspace.ensureWithinQuota(field: "destination") {}
            } catch {
                writer.rollBack()
                throw error
            }
            return entries
        }
    }

    /// Reads and checks every header (the first pass): paths, types, links, count, duplicates.
    private func headers(_ descriptor: Int32) throws(ToolFailure) -> [ArchiveEntryInfo] {
        let reader = try ArchiveReader(descriptor: descriptor, format: format)
        var entries: [ArchiveEntryInfo] = []
        var seen: Set<String> = []
        var index = 0
        while let entry = try reader.next(after: entries.last?.path) {
            index += 1
            if index > limits.maxEntries {
                throw ToolFailure(.tooLarge, "archive: more than \(limits.maxEntries) entries, the limit for one archive")
            }
            try checkDeadline()
            guard let info = try ArchiveEntryInfo.check(entry, index: index) else { continue }
            guard seen.insert(info.path).inserted else {
                throw ToolFailure(.invalidArgument, "archive: the entry \(info.path.debugDescription) appears more than once")
            }
            entries.append(info)
        }
        let links = Set(entries.filter { $0.kind == .symlink }.map(\.path))
        for entry in entries {
            if let link = Self.ancestors(of: entry.path).first(where: links.contains) {
                throw ToolFailure(
                    .denied, "archive: the entry \(entry.path.debugDescription) lies under \(link.debugDescription), a symbolic link in the archive")
            }
            if let target = entry.linkTarget, !ArchiveEntryPath.linkStaysInside(path: entry.path, target: target, links: links) {
                throw ToolFailure(
                    .denied,
                    "archive: the entry \(entry.path.debugDescription) is a symbolic link to "
                        + "\(target.debugDescription), which points outside the destination")
            }
        }
        return entries
    }

    /// Refuses the extraction when any file or link would land on something that exists.
    private func checkTargets(_ entries: [ArchiveEntryInfo], destination: WorkspacePath) throws(ToolFailure) {
        for entry in entries {
            let target = try destination.appendingRelative(entry.path, field: "destination")
            guard let existing = try workspace.entry(at: target) else { continue }
            if entry.kind == .directory, existing.kind == .directory { continue }
            throw ToolFailure(
                .invalidArgument, "destination: \"\(target)\" already exists; extraction never overwrites (choose another destination)")
        }
    }

    /// The second pass: writes directories and files in archive order, then the links, counting bytes.
    private func write(_ entries: [ArchiveEntryInfo], from descriptor: Int32, with writer: inout ArchiveTreeWriter) throws(ToolFailure) {
        let reader = try ArchiveReader(descriptor: descriptor, format: format)
        let budget = limits.budget(archiveBytes: archiveBytes)
        var written = 0
        var block = [UInt8](repeating: 0, count: 64 << 10)
        var pending = entries[...]
        var index = 0
        while let entry = try reader.next(after: index > 0 ? entries[index - 1].path : nil) {
            index += 1
            // The same headers in the same order as the first pass; the root entry was skipped there.
            guard let info = try ArchiveEntryInfo.check(entry, index: index), let expected = pending.first, expected.path == info.path else {
                continue
            }
            pending = pending.dropFirst()
            switch info.kind {
            case .directory:
                let directory = try writer.target(info.path)
                try writer.ensureDirectory(directory)
            case .symlink:
                continue
            case .file:
                let file = try writer.createFile(info.path, executable: info.executable)
                defer { close(file) }
                while true {
                    try checkDeadline()
                    let count = try reader.read(into: &block, path: info.path)
                    if count == 0 { break }
                    written += count
                    if written > budget {
                        throw ToolFailure(
                            .tooLarge,
                            "archive: \"\(archive)\" (\(archiveBytes) bytes) expands to more than \(budget) bytes "
                                + "(stopped at \(info.path.debugDescription)); "
                                + "the caps are \(limits.maxExpansionRatio)× the archive's size and \(limits.maxExpandedBytes) bytes in all")
                    }
                    try writer.writeAll(block[..<count], to: file, path: info.path)
                }
            }
        }
        for entry in entries where entry.kind == .symlink {
            try writer.createLink(entry.path, target: entry.linkTarget ?? "")
        }
    }

    private func checkDeadline() throws(ToolFailure) {
        if ContinuousClock.now >= deadline || Task.isCancelled {
            throw ToolFailure(.timeout, "archive: \"\(archive)\" was not done within the tool's time limit")
        }
    }

    /// `a` and `a/b` for `a/b/c`.
    static func ancestors(of path: String) -> [String] {
        let parts = path.split(separator: "/")
        return (1..<max(parts.count, 1)).map { parts.prefix($0).joined(separator: "/") }
    }
}

extension WorkspacePath {
    /// This directory path with an already-normalised relative `path` appended, under `field`.
    func appendingRelative(_ path: String, field: String) throws(ToolFailure) -> WorkspacePath {
        try WorkspacePath(isRoot ? path : value + "/" + path, field: field)
    }
}
