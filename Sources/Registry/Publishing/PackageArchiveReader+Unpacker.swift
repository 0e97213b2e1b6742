import ArchiveSupport
import CArchive
import Foundation
import ToolhostCore

extension PackageArchiveReader {
    /// The state of one read: the files so far and the running counts.
    struct Unpacker {
        let limits: PackageArchiveLimits
        let format: PackageArchiveFormat
        var meter: ExpansionMeter
        var files: [String: Data] = [:]
        var directories: Set<String> = []
        var executables: Set<String> = []
        var entryCount = 0
        private(set) var lastPath: String?
        /// Data comes out in blocks of this size, so a cap is overshot by at most one block; the
        /// buffer is reused for every entry.
        private var block = [UInt8](repeating: 0, count: 64 << 10)

        init(limits: PackageArchiveLimits, archiveBytes: Int, format: PackageArchiveFormat) {
            self.limits = limits
            self.format = format
            self.meter = ExpansionMeter(limits: limits, archiveBytes: archiveBytes)
        }

        /// Checks the entry whose header was just read and reads its data.
        /// - Throws: ``PublishError`` with the code of the first check the entry fails.
        mutating func take(_ entry: OpaquePointer, from handle: OpaquePointer) throws(PublishError) {
            entryCount += 1
            if entryCount > limits.maxEntries {
                throw PublishError(
                    .tooManyEntries, "the archive has more than \(limits.maxEntries) entries, the limit for a package",
                    details: ["limit": .int(limits.maxEntries)])
            }
            let raw = try Self.name(of: entry, index: entryCount)
            guard let path = try PackagePath.normalize(raw, limits: limits) else {
                // The root directory itself (`./`): it must still be a plain directory.
                _ = try ArchiveEntryKind.classify(entry, path: raw)
                try drain(handle, path: raw)
                return
            }
            lastPath = path
            let kind = try ArchiveEntryKind.classify(entry, path: path)
            if files[path] != nil || directories.contains(path) {
                throw PublishError(.duplicateEntry, "\(PackagePath.quoted(path)) appears more than once in the archive", entry: path)
            }
            switch kind {
            case .directory:
                directories.insert(path)
                // A directory has no data, but a hostile header can claim some; it is counted like a
                // file's so that libarchive never skips (decompresses) bytes we have not counted.
                try drain(handle, path: path)
            case .file(let executable):
                let isManifest = path == PackageArchiveReader.manifestPath
                if archive_entry_size_is_set(entry) != 0 {
                    try meter.checkDeclaredSize(Int(archive_entry_size(entry)), path: path, isManifest: isManifest)
                }
                var data = Data()
                try drain(handle, path: path) { data.append(contentsOf: $0) }
                files[path] = data
                if executable { executables.insert(path) }
            }
        }

        /// Reads the current entry's data block by block, counting every byte before `keep` sees it.
        private mutating func drain(_ handle: OpaquePointer, path: String, keep: (ArraySlice<UInt8>) -> Void = { _ in }) throws(PublishError) {
            let isManifest = path == PackageArchiveReader.manifestPath
            var fileBytes = 0
            while true {
                let count = block.withUnsafeMutableBytes { archive_read_data(handle, $0.baseAddress, $0.count) }
                if count == 0 { return }
                guard count > 0 else { throw PackageArchiveReader.libarchiveError(handle, "cannot read \(PackagePath.quoted(path))") }
                fileBytes += count
                try meter.count(count, fileBytes: fileBytes, path: path, isManifest: isManifest)
                keep(block[..<count])
            }
        }

        /// The package, once every entry has been read: checks the layout as a whole.
        /// - Throws: ``PublishError`` `path_conflict` or `missing_manifest`.
        func finish() throws(PublishError) -> UnpackedPackage {
            for path in files.keys.sorted() {
                var parent = Substring(path)
                while let slash = parent.lastIndex(of: "/") {
                    parent = parent[..<slash]
                    if files[String(parent)] != nil {
                        throw PublishError(
                            .pathConflict, "\(PackagePath.quoted(String(parent))) is both a file and the directory of \(PackagePath.quoted(path))",
                            entry: path)
                    }
                }
            }
            guard let manifest = files[PackageArchiveReader.manifestPath] else { throw missingManifest() }
            return UnpackedPackage(
                files: files, manifest: manifest, executablePaths: executables, format: format,
                expandedBytes: meter.total, entryCount: entryCount)
        }

        private func missingManifest() -> PublishError {
            let manifest = PackageArchiveReader.manifestPath
            var message = "there is no \(manifest) at the root of the archive"
            if directories.contains(manifest) {
                message += "; \(manifest) is a directory"
            } else if let nested = files.keys.filter({ $0.hasSuffix("/" + manifest) }).min(by: { $0.count < $1.count }) {
                // The usual mistake: archiving the folder instead of its contents.
                let folder = nested.dropLast(manifest.count)
                message += "; found \(nested): pack the contents of \(folder) so that \(manifest) is at the root, not the folder itself"
            }
            return PublishError(.missingManifest, message)
        }

        /// The entry's path as UTF-8; libarchive's own UTF-8 view first, the raw header bytes second.
        private static func name(of entry: OpaquePointer, index: Int) throws(PublishError) -> String {
            guard let pointer = archive_entry_pathname_utf8(entry) ?? archive_entry_pathname(entry) else {
                throw PublishError(.invalidPath, "entry \(index) has no path")
            }
            guard let name = String(validatingCString: pointer) else {
                throw PublishError(
                    .invalidPath, "entry \(index) has a path that is not UTF-8: \(String(cString: pointer).debugDescription)",
                    entry: String(cString: pointer))
            }
            return name
        }
    }
}
