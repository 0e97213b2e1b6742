import Crypto
import Foundation

/// Why an encrypted PDF could not be opened: a missing or wrong password, or a handler that is not
/// supported. The tool reports it under the `password` field.
struct PDFPasswordError: Error {
    var message: String
}

/// The standard security handler (PDF 32000-1 §7.6.3, ISO 32000-2 for revision 6): RC4 40–128
/// bit (revisions 2–4), AES-128 (AESV2) and AES-256 (AESV3, revisions 5 and 6), opened with the
/// user password or the owner password.
struct PDFSecurity {
    enum Method {
        case none, rc4, aes128, aes256
    }

    let key: [UInt8]
    let streamMethod: Method
    let stringMethod: Method

    private static let padding: [UInt8] = [
        0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56, 0xFF, 0xFA, 0x01, 0x08,
        0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A,
    ]

    /// Installs decryption on `document` when its trailer has `/Encrypt`; nothing otherwise.
    /// - Throws: ``PDFPasswordError`` when the password (nil: the empty one) opens neither as
    ///   user nor as owner password, or the handler is not the standard one.
    static func unlock(_ document: PDFDocument, password: String?) throws(PDFPasswordError) {
        guard let encrypt = document.value(document.trailer, "Encrypt").dictionary else { return }
        let filter = document.value(encrypt, "Filter").name ?? ""
        guard filter == "Standard" else {
            throw PDFPasswordError(message: "the PDF is encrypted with the \(filter) security handler, which is not supported")
        }
        let ids = document.value(document.trailer, "ID").array ?? []
        let firstID = ids.first.flatMap { document.resolve($0).bytes } ?? []
        let security = try PDFSecurity(encrypt, id: firstID, password: Array((password ?? "").utf8), document: document)
        document.security = security
        document.forgetParsedObjects()
    }

    private init(_ encrypt: [String: PDFObject], id: [UInt8], password: [UInt8], document: PDFDocument) throws(PDFPasswordError) {
        let version = document.value(encrypt, "V").integer ?? 0
        let revision = document.value(encrypt, "R").integer ?? 2
        let owner = document.value(encrypt, "O").bytes ?? []
        let user = document.value(encrypt, "U").bytes ?? []
        let permissions = UInt32(truncatingIfNeeded: document.value(encrypt, "P").integer ?? 0)
        let encryptMetadata = document.value(encrypt, "EncryptMetadata").boolValue ?? true
        switch version {
        case 1, 2:
            streamMethod = .rc4
            stringMethod = .rc4
        case 4, 5:
            let filters = document.value(encrypt, "CF").dictionary
            func method(_ name: String?) -> Method {
                guard let name, name != "Identity" else { return .none }
                switch document.value(document.value(filters, name).dictionary, "CFM").name {
                case "V2": return .rc4
                case "AESV2": return .aes128
                case "AESV3": return .aes256
                default: return .none
                }
            }
            streamMethod = method(document.value(encrypt, "StmF").name)
            stringMethod = method(document.value(encrypt, "StrF").name)
        default:
            throw PDFPasswordError(message: "the PDF uses encryption version /V \(version), which is not supported")
        }
        let passwordHint = password.isEmpty ? "the PDF is encrypted and needs a password" : "the password does not open the PDF"
        if revision >= 5 {
            let ownerKey = document.value(encrypt, "OE").bytes ?? []
            let userKey = document.value(encrypt, "UE").bytes ?? []
            guard let key = Self.aes256Key(
                password: Array(password.prefix(127)), revision: revision, owner: owner, user: user, ownerKey: ownerKey, userKey: userKey)
            else { throw PDFPasswordError(message: passwordHint) }
            self.key = key
            return
        }
        let length = revision == 2 ? 5 : max(5, min(16, (document.value(encrypt, "Length").integer ?? 40) / 8))
        let context = LegacyContext(
            revision: revision, length: length, owner: owner, user: user, permissions: permissions, id: id, encryptMetadata: encryptMetadata)
        if let key = context.keyIfUserPassword(password) {
            self.key = key
        } else if let key = context.keyIfUserPassword(context.userPassword(fromOwnerPassword: password)) {
            self.key = key
        } else {
            throw PDFPasswordError(message: passwordHint)
        }
    }

    // MARK: - Decrypting

    /// Decrypts a stream's bytes.
    func decrypt(_ data: [UInt8], object: PDFReference) -> [UInt8] {
        decrypt(data, object: object, method: streamMethod)
    }

    /// Decrypts every string inside `object` (a non-stream object of the file).
    func decryptStrings(in object: PDFObject, object reference: PDFReference) -> PDFObject {
        switch object {
        case .string(let bytes): .string(decrypt(bytes, object: reference, method: stringMethod))
        case .array(let items): .array(items.map { decryptStrings(in: $0, object: reference) })
        case .dictionary(let entries): .dictionary(entries.mapValues { decryptStrings(in: $0, object: reference) })
        default: object
        }
    }

    private func decrypt(_ data: [UInt8], object: PDFReference, method: Method) -> [UInt8] {
        switch method {
        case .none:
            return data
        case .rc4:
            return Self.rc4(key: objectKey(object, aes: false), data)
        case .aes128, .aes256:
            guard data.count >= 32, let cipher = PDFAES(key: method == .aes256 ? key : objectKey(object, aes: true)) else { return [] }
            let plain = cipher.decryptCBC(data[16...], iv: Array(data[..<16]))
            // PKCS#5 padding; a damaged pad is kept rather than cutting real text.
            guard let pad = plain.last, (1...16).contains(pad), Int(pad) <= plain.count else { return plain }
            return Array(plain.dropLast(Int(pad)))
        }
    }

    /// Algorithm 1: the per-object key of RC4 and AESV2.
    private func objectKey(_ object: PDFReference, aes: Bool) -> [UInt8] {
        var material = key
        material += [UInt8(object.number & 0xFF), UInt8(object.number >> 8 & 0xFF), UInt8(object.number >> 16 & 0xFF)]
        material += [UInt8(object.generation & 0xFF), UInt8(object.generation >> 8 & 0xFF)]
        if aes { material += [0x73, 0x41, 0x6C, 0x54] }  // "sAlT"
        return Array(Insecure.MD5.hash(data: material).prefix(min(key.count + 5, 16)))
    }

    static func rc4(key: [UInt8], _ data: [UInt8]) -> [UInt8] {
        guard !key.isEmpty else { return data }
        var state = (0...255).map { UInt8($0) }
        var j = 0
        for i in 0..<256 {
            j = (j + Int(state[i]) + Int(key[i % key.count])) & 0xFF
            state.swapAt(i, j)
        }
        var i = 0
        j = 0
        return data.map { byte in
            i = (i + 1) & 0xFF
            j = (j + Int(state[i])) & 0xFF
            state.swapAt(i, j)
            return byte ^ state[(Int(state[i]) + Int(state[j])) & 0xFF]
        }
    }

    // MARK: - Revisions 2 to 4

    private struct LegacyContext {
        var revision: Int
        var length: Int
        var owner: [UInt8]
        var user: [UInt8]
        var permissions: UInt32
        var id: [UInt8]
        var encryptMetadata: Bool

        private func padded(_ password: [UInt8]) -> [UInt8] {
            Array((password.prefix(32) + PDFSecurity.padding).prefix(32))
        }

        /// Algorithm 2: the file key from a user password.
        func key(_ password: [UInt8]) -> [UInt8] {
            var material = padded(password) + owner.prefix(32)
            material += [UInt8(permissions & 0xFF), UInt8(permissions >> 8 & 0xFF), UInt8(permissions >> 16 & 0xFF), UInt8(permissions >> 24)]
            material += id
            if revision >= 4, !encryptMetadata { material += [0xFF, 0xFF, 0xFF, 0xFF] }
            var hash = Array(Insecure.MD5.hash(data: material))
            if revision >= 3 {
                for _ in 0..<50 { hash = Array(Insecure.MD5.hash(data: hash.prefix(length))) }
            }
            return Array(hash.prefix(length))
        }

        /// Algorithms 4–6: the key, when `password` is the user password.
        func keyIfUserPassword(_ password: [UInt8]) -> [UInt8]? {
            let key = key(password)
            if revision == 2 {
                return PDFSecurity.rc4(key: key, PDFSecurity.padding) == Array(user.prefix(32)) ? key : nil
            }
            var check = PDFSecurity.rc4(key: key, Array(Insecure.MD5.hash(data: PDFSecurity.padding + id)))
            for round in 1...19 { check = PDFSecurity.rc4(key: key.map { $0 ^ UInt8(round) }, check) }
            return check.prefix(16).elementsEqual(user.prefix(16)) ? key : nil
        }

        /// Algorithm 7: the user password hidden in `/O`, when `password` is the owner password.
        func userPassword(fromOwnerPassword password: [UInt8]) -> [UInt8] {
            var hash = Array(Insecure.MD5.hash(data: padded(password)))
            if revision >= 3 {
                for _ in 0..<50 { hash = Array(Insecure.MD5.hash(data: hash)) }
            }
            let key = Array(hash.prefix(length))
            var result = Array(owner.prefix(32))
            if revision == 2 {
                result = PDFSecurity.rc4(key: key, result)
            } else {
                for round in stride(from: 19, through: 0, by: -1) { result = PDFSecurity.rc4(key: key.map { $0 ^ UInt8(round) }, result) }
            }
            return result
        }
    }

    // MARK: - Revisions 5 and 6

    /// The AES-256 file key, from the user or the owner password; nil when neither matches.
    private static func aes256Key(
        password: [UInt8], revision: Int, owner: [UInt8], user: [UInt8], ownerKey: [UInt8], userKey: [UInt8]
    ) -> [UInt8]? {
        guard owner.count >= 48, user.count >= 48 else { return nil }
        let userData = Array(user.prefix(48))
        let zeroIV = [UInt8](repeating: 0, count: 16)
        if hash(password, salt: Array(user[32..<40]), extra: [], revision: revision) == Array(user.prefix(32)) {
            let intermediate = hash(password, salt: Array(user[40..<48]), extra: [], revision: revision)
            return PDFAES(key: intermediate)?.decryptCBC(userKey.prefix(32)[...], iv: zeroIV)
        }
        if hash(password, salt: Array(owner[32..<40]), extra: userData, revision: revision) == Array(owner.prefix(32)) {
            let intermediate = hash(password, salt: Array(owner[40..<48]), extra: userData, revision: revision)
            return PDFAES(key: intermediate)?.decryptCBC(ownerKey.prefix(32)[...], iv: zeroIV)
        }
        return nil
    }

    /// Revision 5's SHA-256, or revision 6's hash (ISO 32000-2 Algorithm 2.B).
    private static func hash(_ password: [UInt8], salt: [UInt8], extra: [UInt8], revision: Int) -> [UInt8] {
        var digest = Array(SHA256.hash(data: password + salt + extra))
        guard revision >= 6 else { return digest }
        var round = 0
        while true {
            let block = password + digest + extra
            var repeated: [UInt8] = []
            repeated.reserveCapacity(block.count * 64)
            for _ in 0..<64 { repeated += block }
            guard let cipher = PDFAES(key: Array(digest.prefix(16))) else { return digest }
            let encrypted = cipher.encryptCBC(repeated, iv: Array(digest[16..<32]))
            let selector = encrypted.prefix(16).reduce(0) { ($0 + Int($1)) } % 3
            switch selector {
            case 0: digest = Array(SHA256.hash(data: encrypted))
            case 1: digest = Array(SHA384.hash(data: encrypted))
            default: digest = Array(SHA512.hash(data: encrypted))
            }
            round += 1
            if round >= 64, let last = encrypted.last, Int(last) <= round - 32 { break }
        }
        return Array(digest.prefix(32))
    }
}
