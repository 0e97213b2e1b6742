import CArchive
import Foundation

/// Collects what a libarchive writer produces into memory.
///
/// libarchive calls back through a C function pointer, which cannot capture, so the buffer is a
/// class passed as the callback's client pointer; it lives only for one synchronous write.
final class ArchiveOutput {
    private(set) var data = Data()

    /// Opens `handle` for writing into this buffer.
    /// - Returns: libarchive's status (`ARCHIVE_OK` on success).
    func open(_ handle: OpaquePointer) -> Int32 {
        archive_write_open2(
            handle, Unmanaged.passUnretained(self).toOpaque(), nil,
            { _, client, buffer, length in
                guard let client, let buffer else { return -1 }
                let output = Unmanaged<ArchiveOutput>.fromOpaque(client).takeUnretainedValue()
                output.data.append(buffer.assumingMemoryBound(to: UInt8.self), count: length)
                return la_ssize_t(length)
            }, nil, nil)
    }
}
