/// Internationalized host names (IDNA 2008: RFC 5890–5893).
///
/// Foundation has no IDNA support on Linux, so this checks the rules the JSON Schema suite exercises
/// with what Swift's Unicode properties offer: label syntax, Punycode round trips, the code point
/// categories of RFC 5892 with its exception lists, the contextual rules (joiners, middle dots,
/// keraia, geresh, Arabic-Indic digits) and the Bidi rule, using script ranges where Swift exposes no property.
enum IDNHostname {
    private static let separators: Set<Unicode.Scalar> = [".", "\u{3002}", "\u{FF0E}", "\u{FF61}"]
    private static let pvalidExceptions: Set<UInt32> = [0xDF, 0x3C2, 0x6FD, 0x6FE, 0xF0B, 0x3007]
    private static let disallowedExceptions: Set<UInt32> = [0x640, 0x7FA, 0x302E, 0x302F, 0x3031, 0x3032, 0x3033, 0x3034, 0x3035, 0x303B]

    /// Whether `string` is a valid internationalized host name.
    static func isValid(_ string: String) -> Bool {
        var labels: [[Unicode.Scalar]] = [[]]
        for scalar in string.unicodeScalars {
            if separators.contains(scalar) { labels.append([]) } else { labels[labels.count - 1].append(scalar) }
        }
        var uLabels: [[Unicode.Scalar]] = []
        var totalLength = labels.count - 1
        for label in labels {
            guard let uLabel = uLabel(label) else { return false }
            let asciiLength = uLabel.allSatisfy(\.isASCII) ? uLabel.count : 4 + Punycode.encode(uLabel).utf8.count
            guard asciiLength <= 63 else { return false }
            totalLength += asciiLength
            uLabels.append(uLabel)
        }
        return totalLength <= 253 && satisfiesBidiRule(uLabels)
    }

    /// Whether `label` ("xn--…") is a valid A-label, for plain `hostname`.
    static func isValidALabel(_ label: String) -> Bool {
        guard let uLabel = uLabel(Array(label.unicodeScalars)) else { return false }
        return satisfiesBidiRule([uLabel])
    }

    /// The validated U-label form of one label (decoding an A-label), or nil when invalid.
    private static func uLabel(_ label: [Unicode.Scalar]) -> [Unicode.Scalar]? {
        guard !label.isEmpty else { return nil }
        if label.allSatisfy(\.isASCII) {
            let text = String(String.UnicodeScalarView(label)).lowercased()
            if text.hasPrefix("xn--") {
                let encoded = String(text.dropFirst(4))
                // The decoded form must be non-ASCII and encode back to exactly the same text.
                guard let decoded = Punycode.decode(encoded), !decoded.allSatisfy(\.isASCII), Punycode.encode(decoded) == encoded,
                    isValidULabel(decoded)
                else { return nil }
                return decoded
            }
        }
        return isValidULabel(label) ? label : nil
    }

    private static func isValidULabel(_ label: [Unicode.Scalar]) -> Bool {
        guard let first = label.first, first != "-", label.last != "-" else { return false }
        if label.count >= 4 && label[2] == "-" && label[3] == "-" { return false }
        if isMark(first) { return false }
        var hasArabicIndic = false
        var hasExtendedArabicIndic = false
        for (index, scalar) in label.enumerated() {
            switch scalar.value {
            case 0x200C:
                guard precededByVirama(label, index) || joinsBothSides(label, index) else { return false }
            case 0x200D:
                guard precededByVirama(label, index) else { return false }
            case 0xB7:
                guard index > 0, index + 1 < label.count, label[index - 1] == "l", label[index + 1] == "l" else { return false }
            case 0x375:
                guard index + 1 < label.count, isGreek(label[index + 1]) else { return false }
            case 0x5F3, 0x5F4:
                guard index > 0, isHebrew(label[index - 1]) else { return false }
            case 0x30FB:
                guard label.contains(where: { $0.value != 0x30FB && isJapanese($0) }) else { return false }
            case 0x660...0x669:
                hasArabicIndic = true
            case 0x6F0...0x6F9:
                hasExtendedArabicIndic = true
            default:
                guard isPermitted(scalar) else { return false }
            }
        }
        return !(hasArabicIndic && hasExtendedArabicIndic)
    }

    /// RFC 5892 PVALID, approximately: lowercase-stable letters, marks and digits, plus the listed exceptions.
    private static func isPermitted(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            return scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-"
        }
        if pvalidExceptions.contains(scalar.value) { return true }
        if disallowedExceptions.contains(scalar.value) { return false }
        switch scalar.properties.generalCategory {
        case .lowercaseLetter, .otherLetter, .modifierLetter, .nonspacingMark, .spacingMark, .decimalNumber:
            return !scalar.properties.changesWhenNFKCCaseFolded
        default:
            return false
        }
    }

    private static func isMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }

    private static func precededByVirama(_ label: [Unicode.Scalar], _ index: Int) -> Bool {
        index > 0 && label[index - 1].properties.canonicalCombiningClass.rawValue == 9
    }

    /// The ZWNJ joining-type context: a joining letter on each side, skipping transparent marks.
    private static func joinsBothSides(_ label: [Unicode.Scalar], _ index: Int) -> Bool {
        var before = index - 1
        while before >= 0, isMark(label[before]) { before -= 1 }
        var after = index + 1
        while after < label.count, isMark(label[after]) { after += 1 }
        return before >= 0 && after < label.count && isJoiningLetter(label[before]) && isJoiningLetter(label[after])
    }

    private static func isJoiningLetter(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        let joiningScript =
            (0x620...0x6FF).contains(value) || (0x710...0x74F).contains(value) || (0x750...0x7FF).contains(value)
            || (0x860...0x8FF).contains(value)
        return joiningScript && scalar.properties.generalCategory == .otherLetter
    }

    private static func isGreek(_ scalar: Unicode.Scalar) -> Bool {
        (0x370...0x3FF).contains(scalar.value) || (0x1F00...0x1FFF).contains(scalar.value)
    }

    private static func isHebrew(_ scalar: Unicode.Scalar) -> Bool {
        (0x591...0x5F4).contains(scalar.value) || (0xFB1D...0xFB4F).contains(scalar.value)
    }

    private static func isJapanese(_ scalar: Unicode.Scalar) -> Bool {
        (0x3040...0x30FF).contains(scalar.value) || (0x31F0...0x31FF).contains(scalar.value) || scalar.properties.isIdeographic
    }

    // MARK: Bidi rule (RFC 5893)

    private enum Direction {
        case leftToRight, rightToLeft, arabicLetter, arabicNumber, europeanNumber, nonSpacingMark, neutral
    }

    private static func direction(_ scalar: Unicode.Scalar) -> Direction {
        let value = scalar.value
        switch value {
        case 0x30...0x39, 0x6F0...0x6F9: return .europeanNumber
        case 0x660...0x669, 0x66B, 0x66C: return .arabicNumber
        default: break
        }
        if isMark(scalar) { return .nonSpacingMark }
        if (0x590...0x5FF).contains(value) || (0x7C0...0x85F).contains(value) || (0xFB1D...0xFB4F).contains(value)
            || (0x10800...0x10FFF).contains(value)
        {
            return .rightToLeft
        }
        if (0x600...0x7BF).contains(value) || (0x860...0x8FF).contains(value) || (0xFB50...0xFDFF).contains(value)
            || (0xFE70...0xFEFF).contains(value)
        {
            return .arabicLetter
        }
        return scalar.properties.isAlphabetic ? .leftToRight : .neutral
    }

    /// In a domain with any right-to-left label, every label must read unambiguously in one direction.
    private static func satisfiesBidiRule(_ labels: [[Unicode.Scalar]]) -> Bool {
        let directions = labels.map { $0.map(direction) }
        let isBidiDomain = directions.contains { $0.contains { [.rightToLeft, .arabicLetter, .arabicNumber].contains($0) } }
        guard isBidiDomain else { return true }
        for label in directions {
            guard let first = label.first else { return false }
            let last = label.last(where: { $0 != .nonSpacingMark }) ?? first
            switch first {
            case .rightToLeft, .arabicLetter:
                if label.contains(.leftToRight) { return false }
                if ![.rightToLeft, .arabicLetter, .europeanNumber, .arabicNumber].contains(last) { return false }
                if label.contains(.europeanNumber) && label.contains(.arabicNumber) { return false }
            case .leftToRight:
                if label.contains(where: { [.rightToLeft, .arabicLetter, .arabicNumber].contains($0) }) { return false }
                if ![.leftToRight, .europeanNumber].contains(last) { return false }
            default:
                return false
            }
        }
        return true
    }
}
