import Foundation

/// A plain-text table with left-aligned columns; the last column is cut to keep lines readable.
struct TextTable {
    var headers: [String]
    var rows: [[String]] = []
    /// The widest the last column may be before it is cut with an ellipsis.
    var lastColumnLimit = 80

    init(_ headers: [String]) { self.headers = headers }

    mutating func append(_ row: [String]) { rows.append(row) }

    func render() -> String {
        let all = [headers] + rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 && cell.count > lastColumnLimit ? String(cell.prefix(lastColumnLimit - 1)) + "…" : cell
            }
        }
        let widths = headers.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
