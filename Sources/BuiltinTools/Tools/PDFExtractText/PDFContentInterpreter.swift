/// Runs a page's content streams far enough to know what text is drawn where (PDF 32000-1 §9.4):
/// the text and graphics state operators, text showing, and form XObjects; everything else is
/// skipped. The result is a list of ``PDFTextRun``s in device space.
struct PDFContentInterpreter {
    let document: PDFDocument
    private(set) var runs: [PDFTextRun] = []
    /// Shown characters so far, to stop early once the caller has enough.
    private(set) var characterCount = 0
    let characterLimit: Int
    let deadline: ContinuousClock.Instant
    /// Set when the deadline stopped the interpretation.
    private(set) var timedOut = false
    private var steps = 0
    private var fonts: [PDFReference: PDFFont] = [:]
    private var formsInUse: Set<PDFReference> = []

    private struct GraphicsState {
        var ctm = PDFMatrix.identity
        var font = PDFFont.fallback
        var fontSize = 1.0
        var characterSpacing = 0.0
        var wordSpacing = 0.0
        var horizontalScale = 1.0
        var leading = 0.0
        var rise = 0.0
    }

    private var state = GraphicsState()
    private var stack: [GraphicsState] = []
    private var textMatrix = PDFMatrix.identity
    private var lineMatrix = PDFMatrix.identity

    init(document: PDFDocument, characterLimit: Int, deadline: ContinuousClock.Instant) {
        self.document = document
        self.characterLimit = characterLimit
        self.deadline = deadline
    }

    /// Interprets `content` with `resources` (a page's or a form's).
    mutating func run(_ content: [UInt8], resources: [String: PDFObject]?, depth: Int = 0) {
        var lexer = PDFLexer(content[...])
        var operands: [PDFObject] = []
        while characterCount <= characterLimit, !timedOut {
            steps += 1
            if steps % 4096 == 0, ContinuousClock.now >= deadline || Task.isCancelled {
                timedOut = true
                return
            }
            guard let token = try? lexer.nextToken() else {
                // A damaged token: skip a byte and go on, as viewers do.
                lexer.position += 1
                operands = []
                continue
            }
            switch token {
            case .end:
                return
            case .object(let object):
                if operands.count < 64 { operands.append(object) }
            case .keyword(let op):
                if op == "BI" {
                    skipInlineImage(&lexer)
                } else {
                    apply(op, operands, resources: resources, depth: depth)
                }
                operands = []
            }
        }
    }

    private mutating func apply(_ op: String, _ operands: [PDFObject], resources: [String: PDFObject]?, depth: Int) {
        let numbers = operands.compactMap(\.number)
        switch op {
        case "q":
            if stack.count < 256 { stack.append(state) }
        case "Q":
            if let saved = stack.popLast() { state = saved }
        case "cm":
            if let matrix = PDFMatrix(numbers) { state.ctm = matrix.concatenating(state.ctm) }
        case "BT":
            textMatrix = .identity
            lineMatrix = .identity
        case "Tf":
            if case .name(let name)? = operands.first { state.font = font(named: name, resources: resources) }
            if let size = numbers.last { state.fontSize = size }
        case "Tc": state.characterSpacing = numbers.first ?? 0
        case "Tw": state.wordSpacing = numbers.first ?? 0
        case "Tz": state.horizontalScale = (numbers.first ?? 100) / 100
        case "TL": state.leading = numbers.first ?? 0
        case "Ts": state.rise = numbers.first ?? 0
        case "Td":
            if numbers.count == 2 { moveLine(numbers[0], numbers[1]) }
        case "TD":
            if numbers.count == 2 {
                state.leading = -numbers[1]
                moveLine(numbers[0], numbers[1])
            }
        case "Tm":
            if let matrix = PDFMatrix(numbers) {
                textMatrix = matrix
                lineMatrix = matrix
            }
        case "T*":
            moveLine(0, -state.leading)
        case "Tj":
            if let bytes = operands.last?.bytes { show(bytes) }
        case "'":
            moveLine(0, -state.leading)
            if let bytes = operands.last?.bytes { show(bytes) }
        case "\"":
            if numbers.count >= 2 {
                state.wordSpacing = numbers[0]
                state.characterSpacing = numbers[1]
            }
            moveLine(0, -state.leading)
            if let bytes = operands.last?.bytes { show(bytes) }
        case "TJ":
            for item in operands.last?.array ?? [] {
                switch item {
                case .string(let bytes): show(bytes)
                case .int, .real:
                    let adjustment = -(item.number ?? 0) / 1000 * state.fontSize * state.horizontalScale
                    textMatrix = PDFMatrix.translation(adjustment, 0).concatenating(textMatrix)
                default: continue
                }
            }
        case "Do":
            if case .name(let name)? = operands.first, depth < 12 { drawForm(named: name, resources: resources, depth: depth) }
        default:
            break
        }
    }

    private mutating func moveLine(_ x: Double, _ y: Double) {
        lineMatrix = PDFMatrix.translation(x, y).concatenating(lineMatrix)
        textMatrix = lineMatrix
    }

    /// Shows a string: one run per string, advanced glyph by glyph; a gap inside the string (a
    /// large character spacing) splits it so that layout can put a space there.
    private mutating func show(_ bytes: [UInt8]) {
        let size = state.fontSize
        let scale = state.horizontalScale
        var current: PDFTextRun?
        for glyph in state.font.glyphs(bytes) {
            let device = PDFMatrix(a: size * scale, b: 0, c: 0, d: size, e: 0, f: state.rise)
                .concatenating(textMatrix).concatenating(state.ctm)
            let start = device.origin
            let height = size * (textMatrix.concatenating(state.ctm).d.magnitude + textMatrix.concatenating(state.ctm).c.magnitude)
            var advance = glyph.width * size + state.characterSpacing
            if glyph.isSpaceCode { advance += state.wordSpacing }
            textMatrix = PDFMatrix.translation(advance * scale, 0).concatenating(textMatrix)
            let end = PDFMatrix(a: 1, b: 0, c: 0, d: 1, e: 0, f: state.rise).concatenating(textMatrix).concatenating(state.ctm).origin
            characterCount += glyph.text.count
            if var run = current, abs(run.y - start.y) < 0.01 * max(height, 1), start.x - run.endX < 0.15 * height {
                run.text += glyph.text
                run.endX = max(run.endX, end.x)
                current = run
            } else {
                if let run = current { runs.append(run) }
                current = PDFTextRun(text: glyph.text, x: start.x, endX: end.x, y: start.y, height: height)
            }
        }
        if let run = current { runs.append(run) }
    }

    private mutating func font(named name: String, resources: [String: PDFObject]?) -> PDFFont {
        let fontsDictionary = document.value(resources, "Font").dictionary
        guard let entry = fontsDictionary?[name] else { return .fallback }
        guard let reference = entry.reference else {
            return entry.dictionary.map { PDFFont($0, in: document) } ?? .fallback
        }
        if let cached = fonts[reference] { return cached }
        let font = document.resolve(reference).dictionary.map { PDFFont($0, in: document) } ?? .fallback
        fonts[reference] = font
        return font
    }

    private mutating func drawForm(named name: String, resources: [String: PDFObject]?, depth: Int) {
        let entry = document.value(resources, "XObject").dictionary?[name] ?? .null
        guard case .stream(let stream) = document.resolve(entry), document.value(stream.dictionary, "Subtype").name == "Form",
            let content = try? document.decodedData(stream)
        else { return }
        if let reference = entry.reference {
            guard formsInUse.insert(reference).inserted else { return }
        }
        defer { if let reference = entry.reference { formsInUse.remove(reference) } }
        let savedState = state, savedStack = stack, savedText = textMatrix, savedLine = lineMatrix
        let matrix = document.value(stream.dictionary, "Matrix").array.flatMap { PDFMatrix($0.compactMap { document.resolve($0).number }) }
        if let matrix { state.ctm = matrix.concatenating(state.ctm) }
        let formResources = document.value(stream.dictionary, "Resources").dictionary ?? resources
        run(content, resources: formResources, depth: depth + 1)
        (state, stack, textMatrix, lineMatrix) = (savedState, savedStack, savedText, savedLine)
    }

    /// Skips `BI … ID <binary> EI`: the image data is not tokens.
    private func skipInlineImage(_ lexer: inout PDFLexer) {
        let bytes = lexer.bytes
        guard let idKeyword = PDFDocument.find(Array("ID".utf8), in: bytes[lexer.position...]) else {
            lexer.position = bytes.endIndex
            return
        }
        var index = idKeyword + 3
        while index + 1 < bytes.endIndex {
            if bytes[index] == UInt8(ascii: "E"), bytes[index + 1] == UInt8(ascii: "I"), PDFLexer.isWhitespace(bytes[index - 1]),
                index + 2 >= bytes.endIndex || PDFLexer.isWhitespace(bytes[index + 2]) || PDFLexer.isDelimiter(bytes[index + 2])
            {
                lexer.position = index + 2
                return
            }
            index += 1
        }
        lexer.position = bytes.endIndex
    }
}

/// A piece of text drawn on one baseline without a gap, in device space.
struct PDFTextRun {
    var text: String
    var x: Double
    var endX: Double
    /// The baseline.
    var y: Double
    /// The font size in device space.
    var height: Double
}
