/// AES (FIPS 197) in CBC mode, for the PDF standard security handler: AES-128 and AES-256
/// decryption of strings and streams, and the AES-128 encryption that revision 6's password hash
/// needs. swift-crypto's public API has no CBC mode, and a PDF reader needs nothing more.
struct PDFAES {
    private let roundKeys: [UInt32]
    private let rounds: Int

    /// Expands a 16- or 32-byte key; nil for other lengths.
    init?(key: [UInt8]) {
        guard key.count == 16 || key.count == 32 else { return nil }
        let words = key.count / 4
        rounds = words + 6
        var expanded = (0..<words).map { index in
            key[(index * 4)..<(index * 4 + 4)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        }
        var roundConstant: UInt32 = 1
        for index in words..<(4 * (rounds + 1)) {
            var word = expanded[index - 1]
            if index % words == 0 {
                word = Self.substitute((word << 8) | (word >> 24)) ^ (roundConstant << 24)
                roundConstant = UInt32(Self.double(UInt8(roundConstant)))
            } else if words > 6, index % words == 4 {
                word = Self.substitute(word)
            }
            expanded.append(expanded[index - words] ^ word)
        }
        roundKeys = expanded
    }

    /// CBC decryption of whole blocks; a trailing partial block is dropped.
    func decryptCBC(_ data: ArraySlice<UInt8>, iv: [UInt8]) -> [UInt8] {
        var previous = iv
        var output: [UInt8] = []
        output.reserveCapacity(data.count)
        var index = data.startIndex
        while index + 16 <= data.endIndex {
            let block = Array(data[index..<(index + 16)])
            let plain = decryptBlock(block)
            output += zip(plain, previous).map { $0 ^ $1 }
            previous = block
            index += 16
        }
        return output
    }

    /// CBC encryption without padding (the data is whole blocks).
    func encryptCBC(_ data: [UInt8], iv: [UInt8]) -> [UInt8] {
        var previous = iv
        var output: [UInt8] = []
        output.reserveCapacity(data.count)
        for start in stride(from: 0, to: data.count - 15, by: 16) {
            let block = zip(data[start..<(start + 16)], previous).map { $0 ^ $1 }
            previous = encryptBlock(block)
            output += previous
        }
        return output
    }

    // MARK: - The cipher

    private static let sbox: [UInt8] = {
        var box = [UInt8](repeating: 0, count: 256)
        var p: UInt8 = 1, q: UInt8 = 1
        repeat {
            p = p ^ (p << 1) ^ (p & 0x80 != 0 ? 0x1B : 0)
            q ^= q << 1
            q ^= q << 2
            q ^= q << 4
            if q & 0x80 != 0 { q ^= 0x09 }
            let rotated = q ^ rotl(q, 1) ^ rotl(q, 2) ^ rotl(q, 3) ^ rotl(q, 4)
            box[Int(p)] = rotated ^ 0x63
        } while p != 1
        box[0] = 0x63
        return box
    }()

    private static let inverseSbox: [UInt8] = {
        var box = [UInt8](repeating: 0, count: 256)
        for (index, value) in sbox.enumerated() { box[Int(value)] = UInt8(index) }
        return box
    }()

    private static func rotl(_ value: UInt8, _ shift: UInt8) -> UInt8 { (value << shift) | (value >> (8 - shift)) }

    private static func double(_ value: UInt8) -> UInt8 { (value << 1) ^ (value & 0x80 != 0 ? 0x1B : 0) }

    private static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        var a = a, b = b, result: UInt8 = 0
        while b != 0 {
            if b & 1 != 0 { result ^= a }
            a = double(a)
            b >>= 1
        }
        return result
    }

    private static func substitute(_ word: UInt32) -> UInt32 {
        (UInt32(sbox[Int(word >> 24)]) << 24) | (UInt32(sbox[Int(word >> 16 & 0xFF)]) << 16)
            | (UInt32(sbox[Int(word >> 8 & 0xFF)]) << 8) | UInt32(sbox[Int(word & 0xFF)])
    }

    private func addRoundKey(_ state: inout [UInt8], _ round: Int) {
        for column in 0..<4 {
            let word = roundKeys[round * 4 + column]
            state[column * 4] ^= UInt8(word >> 24)
            state[column * 4 + 1] ^= UInt8(word >> 16 & 0xFF)
            state[column * 4 + 2] ^= UInt8(word >> 8 & 0xFF)
            state[column * 4 + 3] ^= UInt8(word & 0xFF)
        }
    }

    private func encryptBlock(_ block: [UInt8]) -> [UInt8] {
        var state = block
        addRoundKey(&state, 0)
        for round in 1...rounds {
            state = state.map { Self.sbox[Int($0)] }
            // ShiftRows: row r moves r columns left (the state is column-major).
            var shifted = state
            for row in 1..<4 {
                for column in 0..<4 { shifted[column * 4 + row] = state[((column + row) % 4) * 4 + row] }
            }
            state = shifted
            if round != rounds {
                for column in 0..<4 {
                    let c = Array(state[(column * 4)..<(column * 4 + 4)])
                    state[column * 4] = Self.double(c[0]) ^ Self.multiply(c[1], 3) ^ c[2] ^ c[3]
                    state[column * 4 + 1] = c[0] ^ Self.double(c[1]) ^ Self.multiply(c[2], 3) ^ c[3]
                    state[column * 4 + 2] = c[0] ^ c[1] ^ Self.double(c[2]) ^ Self.multiply(c[3], 3)
                    state[column * 4 + 3] = Self.multiply(c[0], 3) ^ c[1] ^ c[2] ^ Self.double(c[3])
                }
            }
            addRoundKey(&state, round)
        }
        return state
    }

    private func decryptBlock(_ block: [UInt8]) -> [UInt8] {
        var state = block
        addRoundKey(&state, rounds)
        for round in stride(from: rounds - 1, through: 0, by: -1) {
            var shifted = state
            for row in 1..<4 {
                for column in 0..<4 { shifted[((column + row) % 4) * 4 + row] = state[column * 4 + row] }
            }
            state = shifted.map { Self.inverseSbox[Int($0)] }
            addRoundKey(&state, round)
            if round != 0 {
                for column in 0..<4 {
                    let c = Array(state[(column * 4)..<(column * 4 + 4)])
                    state[column * 4] = Self.multiply(c[0], 14) ^ Self.multiply(c[1], 11) ^ Self.multiply(c[2], 13) ^ Self.multiply(c[3], 9)
                    state[column * 4 + 1] = Self.multiply(c[0], 9) ^ Self.multiply(c[1], 14) ^ Self.multiply(c[2], 11) ^ Self.multiply(c[3], 13)
                    state[column * 4 + 2] = Self.multiply(c[0], 13) ^ Self.multiply(c[1], 9) ^ Self.multiply(c[2], 14) ^ Self.multiply(c[3], 11)
                    state[column * 4 + 3] = Self.multiply(c[0], 11) ^ Self.multiply(c[1], 13) ^ Self.multiply(c[2], 9) ^ Self.multiply(c[3], 14)
                }
            }
        }
        return state
    }
}
