import Foundation

/// Edits the bytes of a zip written by libarchive, to make archives whose headers lie.
enum ZipSurgery {
    /// Sets the uncompressed size of the entry `name` to `size` in its local header, its data
    /// descriptor and its central-directory record, leaving the compressed data as it was.
    static func settingUncompressedSizes(of name: String, to size: UInt32, in zip: Data) -> Data {
        var bytes = [UInt8](zip)
        let nameBytes = Array(name.utf8)
        let local: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
        let central: [UInt8] = [0x50, 0x4B, 0x01, 0x02]
        let descriptor: [UInt8] = [0x50, 0x4B, 0x07, 0x08]
        for start in offsets(of: local, in: bytes) where Array(bytes[(start + 30)..<(start + 30 + nameBytes.count)]) == nameBytes {
            store(size, at: start + 22, in: &bytes)
            if let next = offsets(of: descriptor, in: bytes).first(where: { $0 > start }) { store(size, at: next + 12, in: &bytes) }
        }
        for start in offsets(of: central, in: bytes) where Array(bytes[(start + 46)..<(start + 46 + nameBytes.count)]) == nameBytes {
            store(size, at: start + 24, in: &bytes)
        }
        return Data(bytes)
    }

    private static func offsets(of signature: [UInt8], in bytes: [UInt8]) -> [Int] {
        guard bytes.count >= signature.count else { return [] }
        return (0...(bytes.count - signature.count)).filter { bytes[$0..<($0 + signature.count)].elementsEqual(signature) }
    }

    private static func store(_ value: UInt32, at offset: Int, in bytes: inout [UInt8]) {
        for index in 0..<4 { bytes[offset + index] = UInt8((value >> (8 * UInt32(index))) & 0xFF) }
    }
}
