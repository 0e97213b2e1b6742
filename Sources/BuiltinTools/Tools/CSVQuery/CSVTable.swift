import ToolhostCore

/// A parsed CSV: column names and rows of typed cells, all rows as wide as the columns.
struct CSVTable {
    var columns: [String]
    var rows: [[CSVCell]]

    /// Builds the table from parsed records.
    /// - Throws: ``ToolFailure`` `invalid_argument` naming `field` for a repeated header name or a
    ///   row with more fields than the header (with its row and line number).
    init(records: [CSVParser.Record], hasHeader: Bool, inferTypes: Bool, field: String) throws(ToolFailure) {
        var dataRecords = records[...]
        if hasHeader, let header = dataRecords.popFirst() {
            var seen: [[UInt8]: Int] = [:]
            for (index, name) in header.fields.enumerated() {
                // By code point: Swift's String equality would merge canonically equivalent names.
                let key = Array(name.utf8)
                if let earlier = seen[key] {
                    throw ToolFailure(.invalidArgument, "\(field): the header names the column \"\(name)\" twice "
                        + "(columns \(earlier + 1) and \(index + 1)); header names must be unique")
                }
                seen[key] = index
            }
            columns = header.fields
            for (offset, record) in dataRecords.enumerated() where record.fields.count > columns.count {
                throw ToolFailure(.invalidArgument, "\(field): row \(offset + 1) (line \(record.line)) has "
                    + "\(record.fields.count) fields, but the header has \(columns.count) columns")
            }
        } else {
            let width = dataRecords.map(\.fields.count).max() ?? 0
            columns = (0..<width).map { "column\($0 + 1)" }
        }
        let width = columns.count
        rows = dataRecords.map { record in
            var cells = record.fields.map { CSVCell($0, inferTypes: inferTypes) }
            while cells.count < width { cells.append(CSVCell("", inferTypes: inferTypes)) }
            return cells
        }
    }

    /// The index of column `name`.
    /// - Throws: ``ToolFailure`` `invalid_argument` naming `field` and listing the columns.
    func columnIndex(_ name: String, field: String) throws(ToolFailure) -> Int {
        if let index = columns.firstIndex(where: { $0.unicodeScalars.elementsEqual(name.unicodeScalars) }) { return index }
        let known = columns.prefix(50).map { "\"\($0)\"" }.joined(separator: ", ")
        throw ToolFailure(.invalidArgument, "\(field): unknown column \"\(name)\"; the columns are \(known)\(columns.count > 50 ? ", …" : "")")
    }
}
