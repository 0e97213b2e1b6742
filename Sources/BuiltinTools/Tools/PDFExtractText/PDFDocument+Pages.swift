extension PDFDocument {
    /// A page with the attributes it inherits from the page tree resolved.
    struct Page {
        var dictionary: [String: PDFObject]
        var resources: [String: PDFObject]?
    }

    /// The pages in order, walking `/Kids` from the catalog's `/Pages` (§7.7.3.2); `/Resources`
    /// is inherited from the nearest ancestor that has it. Cycles and absurd depth are cut off.
    func pages(limit: Int = 100_000) -> [Page] {
        var pages: [Page] = []
        var visited: Set<PDFReference> = []
        func walk(_ node: PDFObject, inherited: [String: PDFObject]?, depth: Int) {
            guard depth < 64, pages.count < limit else { return }
            if let reference = node.reference, !visited.insert(reference).inserted { return }
            guard let dictionary = resolve(node).dictionary else { return }
            let resources = value(dictionary, "Resources").dictionary ?? inherited
            let kids = value(dictionary, "Kids").array
            if dictionary["Type"]?.name == "Page" || (kids == nil && dictionary["Type"]?.name != "Pages") {
                pages.append(Page(dictionary: dictionary, resources: resources))
                return
            }
            for kid in kids ?? [] { walk(kid, inherited: resources, depth: depth + 1) }
        }
        walk(catalog?["Pages"] ?? .null, inherited: nil, depth: 0)
        return pages
    }

    /// The page's content: its content stream, or its streams joined (they split anywhere, even
    /// inside a token, so they are joined with a blank and read as one).
    func content(of page: Page) -> [UInt8] {
        let contents = value(page.dictionary, "Contents")
        let streams: [PDFObject] = contents.array?.map { resolve($0) } ?? [contents]
        var data: [UInt8] = []
        for case .stream(let stream) in streams {
            guard let decoded = try? decodedData(stream) else { continue }
            data += decoded
            data.append(0x0A)
        }
        return data
    }
}
