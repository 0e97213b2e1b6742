import CArchive
import Foundation
import Glibc

/// Writes archives with the real libarchive exactly as told, including headers that a hostile
/// publisher would craft (`../` paths, links, devices, setuid bits, lies about sizes), entirely in memory.
///
/// Shared by the test targets that build hostile packages (RegistryTests, ServerTests).
public final class ArchiveBuilder {
    public enum Format {
        case tarGzip, zip, plainTar
    }

    /// File-type bits as archive_entry.h defines them (its macros are casts, which Swift does not import).
    public enum FileType: UInt32 {
        case regular = 0o100_000
        case directory = 0o040_000
        case symlink = 0o120_000
        case characterDevice = 0o020_000
        case blockDevice = 0o060_000
        case fifo = 0o010_000
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    private let handle: OpaquePointer
    private let output = Output()
    private var finished = false
    /// libarchive 3.6 crashes writing a non-ASCII name under the C locale, so the builder switches
    /// its thread to C.UTF-8 for its lifetime (tests are synchronous, so the thread stays the same).
    private let locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", nil)
    private var previousLocale: locale_t?

    private final class Output {
        var data = Data()
    }

    public init(_ format: Format) throws {
        previousLocale = uselocale(locale)
        handle = archive_write_new()!
        switch format {
        case .tarGzip:
            try check(archive_write_add_filter_gzip(handle), "gzip")
            try check(archive_write_set_format_pax_restricted(handle), "pax")
        case .plainTar:
            try check(archive_write_set_format_pax_restricted(handle), "pax")
        case .zip:
            try check(archive_write_set_format_zip(handle), "zip")
        }
        try check(archive_write_set_bytes_in_last_block(handle, 1), "padding")
        let status = archive_write_open2(
            handle, Unmanaged.passUnretained(output).toOpaque(), nil,
            { _, client, buffer, length in
                let output = Unmanaged<Output>.fromOpaque(client!).takeUnretainedValue()
                output.data.append(buffer!.assumingMemoryBound(to: UInt8.self), count: length)
                return la_ssize_t(length)
            }, nil, nil)
        try check(status, "open")
    }

    deinit {
        archive_write_free(handle)
        restoreLocale()
        freelocale(locale)
    }

    private func restoreLocale() {
        if let previousLocale { uselocale(previousLocale) }
        previousLocale = nil
    }

    /// A regular file with `contents`.
    @discardableResult
    public func file(_ path: String, _ contents: Data, mode: UInt32 = 0o644) throws -> ArchiveBuilder {
        try entry(path, type: .regular, mode: mode, size: contents.count)
        if !contents.isEmpty {
            let written = contents.withUnsafeBytes { archive_write_data(handle, $0.baseAddress, $0.count) }
            guard written == contents.count else { throw Failure(description: "short write of \(path): \(reason)") }
        }
        return self
    }

    /// A regular file with text contents.
    @discardableResult
    public func file(_ path: String, _ text: String, mode: UInt32 = 0o644) throws -> ArchiveBuilder {
        try file(path, Data(text.utf8), mode: mode)
    }

    /// A file of `count` zero bytes, streamed in 1 MiB blocks so that a gigabyte is never in memory.
    @discardableResult
    public func zeros(_ path: String, count: Int) throws -> ArchiveBuilder {
        try entry(path, type: .regular, mode: 0o644, size: count)
        let block = [UInt8](repeating: 0, count: 1 << 20)
        var remaining = count
        while remaining > 0 {
            let chunk = min(remaining, block.count)
            let written = block.withUnsafeBytes { archive_write_data(handle, $0.baseAddress, chunk) }
            guard written == chunk else { throw Failure(description: "short write of \(path): \(reason)") }
            remaining -= chunk
        }
        return self
    }

    @discardableResult
    public func directory(_ path: String, mode: UInt32 = 0o755) throws -> ArchiveBuilder {
        try entry(path, type: .directory, mode: mode)
    }

    @discardableResult
    public func symlink(_ path: String, to target: String) throws -> ArchiveBuilder {
        try entry(path, type: .symlink, mode: 0o777) { archive_entry_set_symlink($0, target) }
    }

    @discardableResult
    public func hardlink(_ path: String, to target: String) throws -> ArchiveBuilder {
        try entry(path, type: .regular, mode: 0o644) { archive_entry_set_hardlink($0, target) }
    }

    /// A device node, FIFO or other entry with no data.
    @discardableResult
    public func node(_ path: String, type: FileType, mode: UInt32 = 0o666) throws -> ArchiveBuilder {
        try entry(path, type: type, mode: mode) { archive_entry_set_rdev($0, Self.makedev(1, 3)) }
    }

    @discardableResult
    private func entry(
        _ path: String, type: FileType, mode: UInt32, size: Int = 0, configure: (OpaquePointer) -> Void = { _ in }
    ) throws -> ArchiveBuilder {
        let entry = archive_entry_new()!
        defer { archive_entry_free(entry) }
        archive_entry_set_pathname_utf8(entry, path)
        archive_entry_set_filetype(entry, type.rawValue)
        archive_entry_set_perm(entry, mode)
        archive_entry_set_size(entry, la_int64_t(size))
        archive_entry_set_mtime(entry, 1_700_000_000, 0)
        configure(entry)
        try check(archive_write_header(handle, entry), "header of \(path)")
        return self
    }

    /// Closes the archive and returns its bytes.
    public func finish() throws -> Data {
        if !finished {
            try check(archive_write_close(handle), "close")
            finished = true
            restoreLocale()
        }
        return output.data
    }

    private var reason: String { archive_error_string(handle).map { String(cString: $0) } ?? "?" }

    private func check(_ status: Int32, _ what: String) throws {
        guard status == ARCHIVE_OK else { throw Failure(description: "libarchive: \(what): \(reason)") }
    }

    private static func makedev(_ major: UInt32, _ minor: UInt32) -> UInt {
        UInt((major << 8) | minor)
    }
}
