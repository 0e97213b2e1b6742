/// An affine transformation `[a b c d e f]` (PDF 32000-1 §8.3.4), applied to row vectors.
struct PDFMatrix {
    var a = 1.0, b = 0.0, c = 0.0, d = 1.0, e = 0.0, f = 0.0

    static let identity = PDFMatrix()

    init() {}

    init(a: Double, b: Double, c: Double, d: Double, e: Double, f: Double) {
        (self.a, self.b, self.c, self.d, self.e, self.f) = (a, b, c, d, e, f)
    }

    /// The matrix of six numbers (`cm`, `Tm`, a form's `/Matrix`), or nil.
    init?(_ numbers: [Double]) {
        guard numbers.count == 6, numbers.allSatisfy(\.isFinite) else { return nil }
        self.init(a: numbers[0], b: numbers[1], c: numbers[2], d: numbers[3], e: numbers[4], f: numbers[5])
    }

    static func translation(_ x: Double, _ y: Double) -> PDFMatrix {
        PDFMatrix(a: 1, b: 0, c: 0, d: 1, e: x, f: y)
    }

    /// `self × other`: first this transformation, then `other`.
    func concatenating(_ other: PDFMatrix) -> PDFMatrix {
        PDFMatrix(
            a: a * other.a + b * other.c, b: a * other.b + b * other.d,
            c: c * other.a + d * other.c, d: c * other.b + d * other.d,
            e: e * other.a + f * other.c + other.e, f: e * other.b + f * other.d + other.f)
    }

    /// Where the origin lands.
    var origin: (x: Double, y: Double) { (e, f) }
}
